package io.phase.core.client;

import io.phase.p2p.peer.PeerId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Orders candidates: measured offer latency (smoothed), plus advertised load, plus a heavy penalty
 * per recent failure (failures older than the window are forgotten). Unknown latency counts as
 * {@value #UNKNOWN_LATENCY_MS} ms. Bounded: remembers at most {@value #MAX_PEERS} peers.
 * Thread-safe.
 */
final class WorkerRanking {
  static final double UNKNOWN_LATENCY_MS = 100;
  static final int MAX_PEERS = 4096;
  private static final Duration FAILURE_WINDOW = Duration.ofMinutes(5);
  private static final double FAILURE_PENALTY_MS = 10_000;
  private static final double LOAD_WEIGHT_MS = 10;

  private static final class Stats {
    double latencyMs = Double.NaN;
    final Deque<Instant> failures = new ArrayDeque<>();
    long successes;
    Instant lastContact;
  }

  private final Clock clock;
  private final Map<PeerId, Stats> peers = new HashMap<>();

  WorkerRanking(Clock clock) {
    this.clock = clock;
  }

  synchronized List<WorkerCandidate> rank(List<WorkerCandidate> candidates) {
    List<WorkerCandidate> sorted = new ArrayList<>(candidates);
    sorted.sort(Comparator.comparingDouble(this::score));
    return sorted;
  }

  private double score(WorkerCandidate c) {
    Stats s = peers.get(c.peer());
    double latency = s == null || Double.isNaN(s.latencyMs) ? UNKNOWN_LATENCY_MS : s.latencyMs;
    double load = c.load().isPresent() ? c.load().getAsInt() * LOAD_WEIGHT_MS : 0;
    return latency + load + (s == null ? 0 : recentFailures(s) * FAILURE_PENALTY_MS);
  }

  synchronized void latency(PeerId peer, Duration rtt) {
    Stats s = stats(peer);
    double ms = rtt.toNanos() / 1e6;
    s.latencyMs = Double.isNaN(s.latencyMs) ? ms : 0.7 * s.latencyMs + 0.3 * ms;
    s.lastContact = clock.instant();
  }

  synchronized void failure(PeerId peer) {
    Stats s = stats(peer);
    s.failures.addLast(clock.instant());
    while (s.failures.size() > 64) {
      s.failures.removeFirst();
    }
  }

  synchronized void success(PeerId peer) {
    Stats s = stats(peer);
    s.successes++;
    s.lastContact = clock.instant();
  }

  synchronized List<PeerInfo> snapshot() {
    List<PeerInfo> out = new ArrayList<>();
    peers.forEach(
        (peer, s) ->
            out.add(
                new PeerInfo(
                    peer,
                    Double.isNaN(s.latencyMs)
                        ? OptionalDouble.empty()
                        : OptionalDouble.of(s.latencyMs),
                    recentFailures(s),
                    s.successes,
                    Optional.ofNullable(s.lastContact))));
    return out;
  }

  private int recentFailures(Stats s) {
    Instant cutoff = clock.instant().minus(FAILURE_WINDOW);
    while (!s.failures.isEmpty() && s.failures.peekFirst().isBefore(cutoff)) {
      s.failures.removeFirst();
    }
    return s.failures.size();
  }

  private Stats stats(PeerId peer) {
    Stats s = peers.get(peer);
    if (s == null) {
      if (peers.size() >= MAX_PEERS) {
        peers.remove(peers.keySet().iterator().next());
      }
      s = new Stats();
      peers.put(peer, s);
    }
    return s;
  }
}
