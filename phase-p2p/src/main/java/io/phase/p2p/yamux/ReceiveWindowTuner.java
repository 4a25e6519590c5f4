package io.phase.p2p.yamux;

import java.util.concurrent.TimeUnit;

/**
 * Receive-window auto-tuning of one session: knows the smallest measured round-trip time, decides
 * by how much a stream's receive window grows when its reader keeps up, and accounts every grown
 * byte against the session's budget and the host-wide {@link WindowGrowthPool}. Event loop only.
 */
final class ReceiveWindowTuner {
  /**
   * A stream's receive window grows when the application consumed the half window that a window
   * update returns in less than this many round trips.
   */
  static final int GROWTH_ROUND_TRIPS = 4;

  /**
   * Round trips shorter than this count as this long for window growth: on a fast link the window
   * must also cover both sides' scheduling delays (event-loop wake-ups, batches of decryption and
   * delivery), which a ping on an idle connection does not see.
   */
  static final long GROWTH_RTT_FLOOR_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private final YamuxConfig config;
  private final WindowGrowthPool pool;
  private long minRttNanos = -1;
  private long growth;

  /** Set once all growth went back to the pool at shutdown. */
  private boolean returned;

  ReceiveWindowTuner(YamuxConfig config, WindowGrowthPool pool) {
    this.config = config;
    this.pool = pool;
  }

  /** A round trip was measured (a ping's answer). */
  void onRtt(long rttNanos) {
    minRttNanos = minRttNanos < 0 ? rttNanos : Math.min(minRttNanos, rttNanos);
  }

  /**
   * Returns by how many bytes a stream's receive window ({@code window}) grows, already reserved
   * from the session's budget. It doubles (capped by the per-stream maximum and what is left of the
   * budget) when the application consumed the half window being returned in less than {@link
   * #GROWTH_ROUND_TRIPS} round trips ({@code epochNanos}): the peer was then evidently held back by
   * the window, not by our reader. No growth before a round-trip time is known.
   */
  int grow(int window, long epochNanos) {
    if (!config.autoTunesWindows() || minRttNanos < 0 || window >= config.maxReceiveWindow()) {
      return 0;
    }
    long rtt = Math.max(minRttNanos, GROWTH_RTT_FLOOR_NANOS);
    if (epochNanos >= GROWTH_ROUND_TRIPS * rtt) {
      return 0;
    }
    long more =
        Math.min(
            Math.min(window, (long) config.maxReceiveWindow() - window),
            config.receiveWindowBudget() - growth);
    if (more <= 0 || returned) {
      return 0;
    }
    more = pool.reserve(more);
    if (more <= 0) {
      return 0;
    }
    growth += more;
    return (int) more;
  }

  /** A closing stream gives back the growth it held beyond the initial window. */
  void release(long held) {
    if (held <= 0) {
      return;
    }
    growth -= held;
    if (!returned) {
      pool.release(held);
    }
  }

  /** The session closed: whatever streams still hold goes back to the host now. */
  void returnAll() {
    if (!returned) {
      pool.release(growth);
      returned = true;
    }
  }

  /** Bytes of receive window held beyond the initial windows by open streams. */
  long growth() {
    return growth;
  }

  /** Smallest measured round-trip time in nanoseconds, -1 before any. */
  long minRttNanos() {
    return minRttNanos;
  }
}
