package io.phase.p2p.host;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Running totals of a {@link Host} since it started: raw TCP bytes each way (before decryption,
 * after encryption), inbound connections refused by a limit (by reason), and connection upgrades
 * (Noise handshake, muxer negotiation) that failed (by direction). Plain counters, cheap to update
 * from event loops; a metrics exporter reads them with {@link Host#stats()}. Thread-safe.
 */
public final class HostStats {
  /** Refusal reasons tracked separately; others are counted under {@code "other"}. */
  private static final int MAX_REASONS = 32;

  final LongAdder bytesIn = new LongAdder();
  final LongAdder bytesOut = new LongAdder();
  private final Map<String, LongAdder> refused = new ConcurrentHashMap<>();
  private final Map<Direction, LongAdder> upgradesFailed = new ConcurrentHashMap<>();

  void refused(String reason) {
    String key = refused.containsKey(reason) || refused.size() < MAX_REASONS ? reason : "other";
    refused.computeIfAbsent(key, r -> new LongAdder()).increment();
  }

  void upgradeFailed(Direction direction) {
    upgradesFailed.computeIfAbsent(direction, d -> new LongAdder()).increment();
  }

  /**
   * A point-in-time view of a host's traffic and connections.
   *
   * @param bytesIn TCP payload bytes received since start
   * @param bytesOut TCP payload bytes sent since start
   * @param inboundConnections upgraded connections open now that the remote dialled
   * @param outboundConnections upgraded connections open now that this host dialled
   * @param pendingHandshakes connections still upgrading now (both directions)
   * @param negotiatedStreams open streams whose protocol was agreed
   * @param negotiatingStreams open streams still negotiating their protocol
   * @param refusedByReason inbound connections refused since start, by reason (e.g. {@code
   *     max_connections}, {@code pending_per_address}, {@code silent_timeout})
   * @param upgradeFailures connection upgrades that failed or timed out since start, by direction
   */
  public record Snapshot(
      long bytesIn,
      long bytesOut,
      int inboundConnections,
      int outboundConnections,
      int pendingHandshakes,
      int negotiatedStreams,
      int negotiatingStreams,
      Map<String, Long> refusedByReason,
      Map<Direction, Long> upgradeFailures) {
    public Snapshot {
      refusedByReason = Map.copyOf(refusedByReason);
      upgradeFailures = Map.copyOf(upgradeFailures);
    }
  }

  Map<String, Long> refusedByReason() {
    Map<String, Long> out = new TreeMap<>();
    refused.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  Map<Direction, Long> upgradeFailures() {
    Map<Direction, Long> out = new TreeMap<>();
    upgradesFailed.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }
}
