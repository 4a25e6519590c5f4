package io.phase.core.client;

import io.phase.p2p.peer.PeerId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Random;

/**
 * Orders candidates: advertised load (running and queued jobs, {@value #LOAD_WEIGHT_MS} ms each),
 * plus measured offer latency (smoothed), plus a heavy penalty per recent failure (failures older
 * than the window are forgotten). A worker not contacted yet counts with the mean latency of those
 * that were (or {@value #UNKNOWN_LATENCY_MS} ms when none was), so trying one worker does not make
 * it the favourite of every later job. Equal scores are broken at random, so equal workers share
 * the work instead of the first one found taking it all. Bounded: remembers at most {@value
 * #MAX_PEERS} peers. Thread-safe.
 */
final class WorkerRanking {
  static final double UNKNOWN_LATENCY_MS = 100;
  static final int MAX_PEERS = 4096;
  private static final Duration FAILURE_WINDOW = Duration.ofMinutes(5);
  private static final double FAILURE_PENALTY_MS = 10_000;
  static final double LOAD_WEIGHT_MS = 10;

  private static final class Stats {
    double latencyMs = Double.NaN;
    final Deque<Instant> failures = new ArrayDeque<>();
    long successes;
    Instant lastContact;
  }

  private final Clock clock;
  private final Random random;
  private final Map<PeerId, Stats> peers = new HashMap<>();

  WorkerRanking(Clock clock) {
    this(clock, new Random());
  }

  WorkerRanking(Clock clock, Random random) {
    this.clock = clock;
    this.random = random;
  }

  synchronized List<WorkerCandidate> rank(List<WorkerCandidate> candidates) {
    List<WorkerCandidate> sorted = new ArrayList<>(candidates);
    Collections.shuffle(sorted, random);
    double unknown = meanLatency();
    sorted.sort(Comparator.comparingDouble(c -> score(c, unknown)));
    return sorted;
  }

  private double meanLatency() {
    double sum = 0;
    int n = 0;
    for (Stats s : peers.values()) {
      if (!Double.isNaN(s.latencyMs)) {
        sum += s.latencyMs;
        n++;
      }
    }
    return n == 0 ? UNKNOWN_LATENCY_MS : sum / n;
  }

  private double score(WorkerCandidate c, double unknownLatency) {
    Stats s = peers.get(c.peer());
    double latency = s == null || Double.isNaN(s.latencyMs) ? unknownLatency : s.latencyMs;
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
