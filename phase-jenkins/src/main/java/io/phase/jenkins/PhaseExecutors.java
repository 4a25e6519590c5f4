package io.phase.jenkins;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The plugin's threads, none of them Jenkins' request or CPS threads: a bounded pool for the work
 * of steps (copying inputs from agents, dispatching, handling results; a full queue refuses the
 * step) and one scheduler for timers (bounded waits, the peers refresh). Daemon threads.
 */
final class PhaseExecutors {
  /** Threads that copy inputs and handle results. */
  static final int WORKERS = 8;

  /** Step tasks that may wait for a thread. */
  static final int QUEUE = 1024;

  private static final ExecutorService STEPS =
      new ThreadPoolExecutor(
          WORKERS,
          WORKERS,
          60,
          TimeUnit.SECONDS,
          new ArrayBlockingQueue<>(QUEUE),
          threads("phase-step"));

  private static final ScheduledExecutorService TIMER =
      Executors.newSingleThreadScheduledExecutor(threads("phase-timer"));

  static {
    ((ThreadPoolExecutor) STEPS).allowCoreThreadTimeOut(true);
  }

  private PhaseExecutors() {}

  /** The pool for step work; throws RejectedExecutionException when its queue is full. */
  static ExecutorService steps() {
    return STEPS;
  }

  /** The scheduler for timers; its tasks must be short. */
  static ScheduledExecutorService timer() {
    return TIMER;
  }

  static ThreadFactory threads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
