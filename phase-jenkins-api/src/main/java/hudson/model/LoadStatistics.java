package hudson.model;

/**
 * Compile-only stub of {@code hudson.model.LoadStatistics} (Jenkins 2.555.3 core); declarations
 * match the real API, bodies throw.
 */
public abstract class LoadStatistics {
  protected LoadStatistics(int initialIdleExecutors, int initialQueueLength) {
    throw new UnsupportedOperationException("compile-only stub");
  }
}
