package io.phase.core.client;

import io.phase.p2p.peer.PeerId;
import java.time.Instant;

/**
 * Where a job is before its output flows, for progress displays: the phases a person otherwise
 * waits through in silence (finding workers, sending a large module or workspace, waiting for a
 * busy worker's slot). A new attempt on another worker goes through them again.
 */
public sealed interface JobProgress {

  /** Looking up the workers that offer {@code capability}. */
  record Discovering(String capability) implements JobProgress {}

  /** The lookup found {@code workers} candidates. */
  record Found(int workers) implements JobProgress {}

  /**
   * Sending the job's inputs to {@code worker}: {@code sentBytes} of {@code totalBytes} written to
   * the stream (the module if the worker does not hold it, stdin, then the workspace). Sent as the
   * stream's flow control lets bytes go, so it follows what the worker takes in.
   */
  record Uploading(PeerId worker, long sentBytes, long totalBytes) implements JobProgress {}

  /**
   * Every input is on {@code worker}, which had no free run slot when it was offered the job: the
   * job waits in its queue, and starts by {@code latestStart} at the latest (the worker's worst
   * case: every job ahead of it running for the longest time allowed).
   */
  record WaitingForSlot(PeerId worker, Instant latestStart) implements JobProgress {}

  /** Every input is on {@code worker}, which had a free run slot: the job is running. */
  record Running(PeerId worker) implements JobProgress {}
}
