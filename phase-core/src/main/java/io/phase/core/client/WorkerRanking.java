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
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Random;

/**
 * Orders candidates by a score, lowest first: {@value #LOAD_WEIGHT_MS} ms per job of load (the
 * running + queued jobs the worker advertises in its signed details, plus the jobs this client has
 * in flight on it, which the advertisement may not show yet), plus the measured offer latency
 * (smoothed, rounded down to {@value #LATENCY_BUCKET_MS} ms so that LAN noise does not pick a
 * favourite; unknown latency counts as 0 so that untried workers get tried), plus a heavy penalty
 * per recent failure (failures older than the window are forgotten). Equal scores are ordered at
 * random, so equal workers share the jobs. Bounded: remembers at most {@value #MAX_PEERS} peers.
 * Thread-safe.
 */
final class WorkerRanking {
  static final double LATENCY_BUCKET_MS = 25;
  static final int MAX_PEERS = 4096;
  private static final Duration FAILURE_WINDOW = Duration.ofMinutes(5);
  private static final double FAILURE_PENALTY_MS = 10_000;
  static final double LOAD_WEIGHT_MS = 50;

  private static final class Stats {
    double latencyMs = Double.NaN;
    final Deque<Instant> failures = new ArrayDeque<>();
    long successes;
    Instant lastContact;
    int inFlight;
  }

  private final Clock clock;
  private final Map<PeerId, Stats> peers = new HashMap<>();
  private final Random random;

  WorkerRanking(Clock clock) {
    this(clock, new Random());
  }

  /** With {@code random} for the tie-break (a seeded one makes the order reproducible). */
  WorkerRanking(Clock clock, Random random) {
    this.clock = clock;
    this.random = random;
  }

  synchronized List<WorkerCandidate> rank(List<WorkerCandidate> candidates) {
    List<WorkerCandidate> sorted = new ArrayList<>(candidates);
    Collections.shuffle(sorted, random);
    Map<WorkerCandidate, Double> scores = new IdentityHashMap<>();
    for (WorkerCandidate c : sorted) {
      scores.put(c, score(c));
    }
    sorted.sort(Comparator.comparingDouble(scores::get)); // stable: ties keep the shuffled order
    return sorted;
  }

  double score(WorkerCandidate c) {
    Stats s = peers.get(c.peer());
    double latency =
        s == null || Double.isNaN(s.latencyMs)
            ? 0
            : Math.floor(s.latencyMs / LATENCY_BUCKET_MS) * LATENCY_BUCKET_MS;
    int jobs = (c.load().isPresent() ? c.load().getAsInt() : 0) + (s == null ? 0 : s.inFlight);
    return latency
        + jobs * LOAD_WEIGHT_MS
        + (s == null ? 0 : recentFailures(s) * FAILURE_PENALTY_MS);
  }

  /** This client started a job on {@code peer}; it counts as load there until {@link #done}. */
  synchronized void dispatched(PeerId peer) {
    stats(peer).inFlight++;
  }

  /** A job this client {@link #dispatched} on {@code peer} ended (any way). */
  synchronized void done(PeerId peer) {
    Stats s = peers.get(peer);
    if (s != null && s.inFlight > 0) {
      s.inFlight--;
    }
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
