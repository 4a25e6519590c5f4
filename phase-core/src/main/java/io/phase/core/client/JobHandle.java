package io.phase.core.client;

import io.phase.p2p.peer.PeerId;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A job dispatched by {@link PhaseClient}: where it runs now, its verified outcome when done, a way
 * to cancel it, and a state to reattach from after a restart.
 */
public final class JobHandle {
  private final JobRun run;

  JobHandle(JobRun run) {
    this.run = run;
  }

  /** The current attempt's job id (each attempt has its own), empty before the first dispatch. */
  public Optional<String> jobId() {
    return run.current().map(JobRun.Current::jobId);
  }

  /** The worker of the current attempt, empty before the first dispatch. */
  public Optional<PeerId> worker() {
    return run.current().map(c -> c.worker().peer());
  }

  /**
   * Completes with the verified outcome, or exceptionally with a {@link JobFailedException} once
   * every attempt failed.
   */
  public CompletableFuture<JobOutcome> outcome() {
    return run.outcome();
  }

  /** Stops the job (the worker ends it with a cancelled receipt). */
  /**
   * Module, stdin, workspace and input-tree bytes sent to workers so far (what content addressing
   * saves shows here: a module or tree the worker holds is not sent).
   */
  public long bytesSent() {
    return run.bytesSent();
  }

  public void cancel() {
    run.cancel();
  }

  /** What a restarted process needs to reattach, once the job has been accepted somewhere. */
  public Optional<HandleState> state() {
    return run.state();
  }
}
