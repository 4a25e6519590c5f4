package io.phase.p2p.kad;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link KadService}'s delayed tasks (bootstrap retries, refresh, republish, prune).
 * Injectable so tests can drive time by hand; production uses {@link
 * #of(ScheduledExecutorService)}. Tasks must be short: they only start asynchronous work.
 */
public interface KadScheduler {

  /** A scheduled task that can be cancelled. */
  @FunctionalInterface
  interface Task {
    /** Cancels the task if it has not run yet; no effect otherwise. */
    void cancel();
  }

  /** Runs {@code task} once after {@code delay}. */
  Task schedule(Runnable task, Duration delay);

  /** A scheduler over {@code executor} (which the caller owns and shuts down). */
  static KadScheduler of(ScheduledExecutorService executor) {
    Objects.requireNonNull(executor, "executor");
    return (task, delay) -> {
      ScheduledFuture<?> f = executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
      return () -> f.cancel(false);
    };
  }
}
