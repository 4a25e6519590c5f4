package io.phase.core.client;

import io.phase.core.receipt.OutputKind;

/**
 * Receives a job's output and events, in order, on a client thread. Output is delivered as it
 * arrives, before the receipt is verified: it is final only once the job's outcome completes.
 * Implementations must not block for long.
 */
public interface JobListener {
  void onOutput(OutputKind kind, byte[] data);

  default void onEvent(JobEvent event) {}

  /** A listener that drops everything. */
  JobListener DISCARD = (kind, data) -> {};
}
