package io.phase.p2p.host;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Aggregates refused or dropped inbound connections into rate-limited summaries: at most one line
 * per {@code interval} per reason, with the number refused since the previous line and the address
 * refused most often. The first refusal of a reason after a quiet interval is reported at once; the
 * rest of a burst is reported with the next refusal after the interval has passed. Thread-safe.
 */
final class RefusalLog {

  /** Distinct addresses counted per reason between two lines; beyond it they count as others. */
  static final int MAX_TRACKED_ADDRESSES = 1024;

  private final long intervalNanos;
  private final LongSupplier nanoClock;
  private final Consumer<String> sink;
  private final Map<String, Window> windows = new HashMap<>();

  private static final class Window {
    long lastLineNanos;
    boolean logged;
    long refused;
    final Map<String, Long> byAddress = new HashMap<>();
  }

  RefusalLog(long intervalNanos, LongSupplier nanoClock, Consumer<String> sink) {
    if (intervalNanos <= 0) {
      throw new IllegalArgumentException("intervalNanos must be positive");
    }
    this.intervalNanos = intervalNanos;
    this.nanoClock = nanoClock;
    this.sink = sink;
  }

  /** Counts one refusal of a connection from {@code address} for {@code reason}. */
  void refused(String reason, String address) {
    String line = null;
    synchronized (this) {
      long now = nanoClock.getAsLong();
      Window w = windows.computeIfAbsent(reason, r -> new Window());
      w.refused++;
      if (w.byAddress.containsKey(address) || w.byAddress.size() < MAX_TRACKED_ADDRESSES) {
        w.byAddress.merge(address, 1L, Long::sum);
      }
      if (!w.logged || now - w.lastLineNanos >= intervalNanos) {
        String top = "none";
        long topCount = 0;
        for (Map.Entry<String, Long> e : w.byAddress.entrySet()) {
          if (e.getValue() > topCount) {
            top = e.getKey();
            topCount = e.getValue();
          }
        }
        line =
            "connections_refused reason="
                + reason
                + " refused="
                + w.refused
                + " top_address="
                + top
                + " top_address_refused="
                + topCount
                + " addresses="
                + w.byAddress.size()
                + " interval_ms="
                + intervalNanos / 1_000_000;
        w.logged = true;
        w.lastLineNanos = now;
        w.refused = 0;
        w.byAddress.clear();
      }
    }
    if (line != null) {
      sink.accept(line);
    }
  }
}
