package io.phase.p2p.kad;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A {@link KadScheduler} whose time only moves when a test calls {@link #advance}; due tasks run on
 * the calling thread. Moves a {@link MutableClock} along, so stores expire in step. Thread-safe.
 */
final class ManualScheduler implements KadScheduler {
  private record Entry(long dueNanos, long seq, Runnable task, Duration delay) {}

  private final MutableClock clock;
  private final PriorityQueue<Entry> queue =
      new PriorityQueue<>(Comparator.comparingLong(Entry::dueNanos).thenComparingLong(Entry::seq));
  private long nowNanos;
  private long seq;

  ManualScheduler(MutableClock clock) {
    this.clock = clock;
  }

  @Override
  public synchronized Task schedule(Runnable task, Duration delay) {
    Entry e = new Entry(nowNanos + delay.toNanos(), seq++, task, delay);
    queue.add(e);
    return () -> {
      synchronized (this) {
        queue.remove(e);
      }
    };
  }

  /** Delays of the pending tasks, soonest first. */
  synchronized List<Duration> pendingDelays() {
    List<Entry> entries = new ArrayList<>(queue);
    entries.sort(queue.comparator());
    return entries.stream().map(Entry::delay).toList();
  }

  /** Number of pending tasks. */
  synchronized int pending() {
    return queue.size();
  }

  /** Moves time forward by {@code d}, running every task that falls due, in order. */
  void advance(Duration d) {
    long target;
    synchronized (this) {
      target = nowNanos + d.toNanos();
    }
    while (true) {
      Entry next;
      synchronized (this) {
        next = queue.peek();
        if (next == null || next.dueNanos > target) {
          clock.advance(Duration.ofNanos(target - nowNanos));
          nowNanos = target;
          return;
        }
        queue.poll();
        clock.advance(Duration.ofNanos(next.dueNanos - nowNanos));
        nowNanos = next.dueNanos;
      }
      next.task.run();
    }
  }
}
