package io.phase.core.client;

import io.phase.p2p.peer.PeerId;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Turns one attempt's upload into {@link JobProgress} events: {@link JobProgress.Uploading} as
 * bytes go (only when there is something to send), then once every input is sent {@link
 * JobProgress.WaitingForSlot} if the worker's offer answer said the job would be queued, else
 * {@link JobProgress.Running}. Driven by the attempt's serial executor.
 */
final class UploadProgress {
  /** Progress that goes nowhere (an attach has no upload). */
  static UploadProgress none() {
    return new UploadProgress(null, Optional.empty(), p -> {});
  }

  private final PeerId worker;
  private final Optional<Instant> queuedUntil;
  private final Consumer<JobProgress> sink;
  private long total = -1;
  private long lastSent = -1;
  private boolean done;

  /**
   * @param queuedUntil the worker's latest start for the job when it had no free run slot
   */
  UploadProgress(PeerId worker, Optional<Instant> queuedUntil, Consumer<JobProgress> sink) {
    this.worker = worker;
    this.queuedUntil = queuedUntil;
    this.sink = sink;
  }

  /** The upload starts with {@code totalBytes} to send (0: the worker holds everything). */
  void start(long totalBytes) {
    if (total < 0) {
      total = totalBytes;
    }
  }

  /** {@code sentBytes} of the total are written to the stream. */
  void sent(long sentBytes) {
    if (done || total <= 0 || sentBytes == lastSent) {
      return;
    }
    lastSent = sentBytes;
    sink.accept(new JobProgress.Uploading(worker, sentBytes, total));
  }

  /** Every input is sent. */
  void complete() {
    if (done) {
      return;
    }
    if (total > 0) {
      sent(total);
    }
    done = true;
    sink.accept(
        queuedUntil
            .<JobProgress>map(t -> new JobProgress.WaitingForSlot(worker, t))
            .orElseGet(() -> new JobProgress.Running(worker)));
  }
}
