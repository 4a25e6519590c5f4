package io.phase.core.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phase.core.identity.NodeKey;
import io.phase.p2p.multiaddr.Multiaddr;
import io.phase.p2p.peer.PeerId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Dispatch spreads over equal workers and prefers less loaded ones (issue 12 item 6). */
class WorkerRankingTest {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-06T00:00:00Z"), ZoneOffset.UTC);
  static final PeerId A = NodeKey.generate().peerId();
  static final PeerId B = NodeKey.generate().peerId();
  static final PeerId C = NodeKey.generate().peerId();

  static WorkerCandidate candidate(PeerId peer, int load) {
    return new WorkerCandidate(
        peer, List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/4001")), OptionalInt.of(load));
  }

  /** How often each peer ranks first over {@code rounds} rankings. */
  static Map<PeerId, Integer> firsts(WorkerRanking ranking, List<WorkerCandidate> cs, int rounds) {
    Map<PeerId, Integer> counts = new HashMap<>();
    for (int i = 0; i < rounds; i++) {
      counts.merge(ranking.rank(cs).get(0).peer(), 1, Integer::sum);
    }
    return counts;
  }

  @Test
  void equalWorkersShareTheFirstPlace() {
    WorkerRanking ranking = new WorkerRanking(CLOCK, new Random(42));
    // one worker was already contacted (its measured LAN latency is a few ms): no favourite
    ranking.latency(A, Duration.ofMillis(3));
    ranking.latency(B, Duration.ofMillis(7));
    List<WorkerCandidate> cs = List.of(candidate(A, 0), candidate(B, 0), candidate(C, 0));
    Map<PeerId, Integer> counts = firsts(ranking, cs, 3000);
    for (PeerId p : List.of(A, B, C)) {
      int n = counts.getOrDefault(p, 0);
      assertTrue(n > 800 && n < 1200, "first " + n + " of 3000 times: " + counts);
    }
  }

  @Test
  void theSameSeedGivesTheSameOrder() {
    List<WorkerCandidate> cs = List.of(candidate(A, 0), candidate(B, 0), candidate(C, 0));
    WorkerRanking one = new WorkerRanking(CLOCK, new Random(7));
    WorkerRanking two = new WorkerRanking(CLOCK, new Random(7));
    for (int i = 0; i < 20; i++) {
      assertEquals(one.rank(cs), two.rank(cs));
    }
  }

  @Test
  void lessLoadedWorkersRankFirst() {
    WorkerRanking ranking = new WorkerRanking(CLOCK, new Random(1));
    List<WorkerCandidate> cs = List.of(candidate(A, 3), candidate(B, 1), candidate(C, 2));
    for (int i = 0; i < 50; i++) {
      List<WorkerCandidate> ranked = ranking.rank(cs);
      assertEquals(List.of(B, C, A), ranked.stream().map(WorkerCandidate::peer).toList());
    }
    // load outweighs LAN latency differences
    ranking.latency(B, Duration.ofMillis(40));
    assertEquals(C, ranking.rank(List.of(candidate(B, 1), candidate(C, 0))).get(0).peer());
  }

  @Test
  void jobsThisClientHasInFlightCountAsLoadUntilDone() {
    WorkerRanking ranking = new WorkerRanking(CLOCK, new Random(3));
    List<WorkerCandidate> cs = List.of(candidate(A, 0), candidate(B, 0), candidate(C, 0));
    // dispatch 30 jobs one after another, none finished: they must spread 10/10/10
    Map<PeerId, Integer> counts = new HashMap<>();
    for (int i = 0; i < 30; i++) {
      PeerId first = ranking.rank(cs).get(0).peer();
      ranking.dispatched(first);
      counts.merge(first, 1, Integer::sum);
    }
    assertEquals(Map.of(A, 10, B, 10, C, 10), counts);
    for (int i = 0; i < 10; i++) {
      ranking.done(A);
    }
    ranking.done(A); // more done than dispatched is ignored
    assertEquals(A, ranking.rank(cs).get(0).peer());
  }

  @Test
  void recentFailuresOutweighLoad() {
    WorkerRanking ranking = new WorkerRanking(CLOCK, new Random(5));
    ranking.failure(A);
    assertEquals(B, ranking.rank(List.of(candidate(A, 0), candidate(B, 20))).get(0).peer());
  }
}
