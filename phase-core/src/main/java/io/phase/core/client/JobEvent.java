package io.phase.core.client;

import io.phase.core.receipt.OutputKind;
import io.phase.p2p.multiaddr.Multiaddr;
import io.phase.p2p.peer.PeerId;
import java.util.List;

/** What happens to a job besides its output, for progress displays and logs. */
public sealed interface JobEvent {

  /**
   * Attempt {@code attempt} (from 1) goes to {@code worker}, dialled at {@code addresses}, as
   * {@code jobId}.
   */
  record Dispatched(PeerId worker, List<Multiaddr> addresses, String jobId, int attempt)
      implements JobEvent {
    public Dispatched {
      addresses = List.copyOf(addresses);
    }
  }

  /** The attempt on {@code worker} failed; attempt {@code nextAttempt} follows elsewhere. */
  record Retry(PeerId worker, JobFailedException.Kind cause, String reason, int nextAttempt)
      implements JobEvent {}

  /** The connection dropped; the client followed the job again from {@code fromSeq}. */
  record Reattached(PeerId worker, String jobId, long fromSeq) implements JobEvent {}

  /**
   * A retry produced different bytes on {@code kind} than an earlier attempt already delivered,
   * from byte {@code offset}; delivery continues from there.
   */
  record Nondeterministic(OutputKind kind, long offset) implements JobEvent {}

  /** The receipt verified; the outcome follows. */
  record Verified(PeerId worker, String jobId) implements JobEvent {}
}
