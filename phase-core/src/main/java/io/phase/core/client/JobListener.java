package io.phase.core.client;

import io.phase.core.receipt.OutputChunk;
import io.phase.core.receipt.OutputKind;

/**
 * Receives a job's output and events, in order, on a client thread. Output is delivered as it
 * arrives, before the receipt is verified: it is final only once the job's outcome completes.
 * Implementations must not block for long.
 */
public interface JobListener {
  void onOutput(OutputKind kind, byte[] data);

  default void onEvent(JobEvent event) {}

  /**
   * Every chunk of the current attempt exactly as the worker sent it, in sequence order, before
   * duplicate suppression: what a transcript records so the receipt's commitment can be replayed. A
   * new attempt (after a {@link JobEvent.Dispatched}) starts again at sequence 0; a reattach
   * continues the same sequence.
   */
  default void onChunk(OutputChunk chunk) {}

  /**
   * Where the job is before its output flows (finding workers, uploading, waiting for a slot); on a
   * client thread, possibly often while a large input uploads.
   */
  default void onProgress(JobProgress progress) {}

  /** A listener that drops everything. */
  JobListener DISCARD = (kind, data) -> {};
}
