package io.phase.p2p.yamux;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes of receive-window growth shared by every yamux session of one host, so grown windows stay
 * bounded however many connections are open (each session also has its own budget, {@link
 * YamuxConfig#receiveWindowBudget()}). Thread-safe: sessions on different event loops reserve and
 * release concurrently. A session returns whatever it still holds when it closes.
 */
public final class WindowGrowthPool {
  private final long capacity;
  private final AtomicLong available;

  /** A pool of {@code capacity} bytes (0 allows no growth). */
  public WindowGrowthPool(long capacity) {
    if (capacity < 0) {
      throw new IllegalArgumentException("capacity must not be negative");
    }
    this.capacity = capacity;
    this.available = new AtomicLong(capacity);
  }

  /** A pool that never limits: for sessions outside a host (tests, tools). */
  public static WindowGrowthPool unlimited() {
    return new WindowGrowthPool(Long.MAX_VALUE);
  }

  /** Takes up to {@code wanted} bytes; returns how many were granted (0 when none are left). */
  long reserve(long wanted) {
    if (wanted <= 0) {
      return 0;
    }
    while (true) {
      long left = available.get();
      long granted = Math.min(left, wanted);
      if (granted <= 0) {
        return 0;
      }
      if (available.compareAndSet(left, left - granted)) {
        return granted;
      }
    }
  }

  /** Gives back {@code bytes} reserved earlier. */
  void release(long bytes) {
    if (bytes > 0) {
      available.addAndGet(bytes);
    }
  }

  /** Bytes not reserved by any session. */
  public long available() {
    return available.get();
  }

  /** The pool's size. */
  public long capacity() {
    return capacity;
  }
}
