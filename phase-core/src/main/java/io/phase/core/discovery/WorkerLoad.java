package io.phase.core.discovery;

/**
 * A worker's current load.
 *
 * @param running jobs running now
 * @param queued jobs waiting for a slot
 */
public record WorkerLoad(int running, int queued) {
  /** No job running or queued. */
  public static final WorkerLoad IDLE = new WorkerLoad(0, 0);

  /** Both counts must be non-negative. */
  public WorkerLoad {
    if (running < 0 || queued < 0) {
      throw new IllegalArgumentException("load counts must not be negative");
    }
  }
}
