package io.phase.core.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phase.core.identity.NodeKey;
import io.phase.p2p.multiaddr.Multiaddr;
import io.phase.p2p.peer.PeerId;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class WorkerRankingTest {
  private static final int ROUNDS = 3000;

  private static WorkerCandidate worker(int load) {
    return new WorkerCandidate(
        NodeKey.generate().peerId(),
        List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/4001")),
        OptionalInt.of(load));
  }

  private static Map<PeerId, Integer> firstPicks(WorkerRanking ranking, List<WorkerCandidate> ws) {
    Map<PeerId, Integer> picks = new HashMap<>();
    for (int i = 0; i < ROUNDS; i++) {
      picks.merge(ranking.rank(ws).get(0).peer(), 1, Integer::sum);
    }
    return picks;
  }

  @Test
  void equalWorkersShareTheWork() {
    WorkerRanking ranking = new WorkerRanking(Clock.systemUTC(), new Random(42));
    List<WorkerCandidate> ws = IntStream.range(0, 3).mapToObj(i -> worker(0)).toList();
    Map<PeerId, Integer> picks = firstPicks(ranking, ws);
    for (WorkerCandidate w : ws) {
      int n = picks.getOrDefault(w.peer(), 0);
      assertTrue(
          n > ROUNDS / 4, "each equal worker goes first about a third of the time: " + picks);
    }
  }

  @Test
  void theLeastLoadedWorkerGoesFirst() {
    WorkerRanking ranking = new WorkerRanking(Clock.systemUTC(), new Random(7));
    WorkerCandidate busy = worker(4);
    WorkerCandidate idle = worker(0);
    WorkerCandidate some = worker(1);
    for (int i = 0; i < 100; i++) {
      assertEquals(
          List.of(idle.peer(), some.peer(), busy.peer()),
          ranking.rank(List.of(busy, idle, some)).stream().map(WorkerCandidate::peer).toList());
    }
  }

  @Test
  void aWorkerTriedOnceDoesNotTakeEveryLaterJob() {
    WorkerRanking ranking = new WorkerRanking(Clock.systemUTC(), new Random(3));
    List<WorkerCandidate> ws = IntStream.range(0, 3).mapToObj(i -> worker(0)).toList();
    ranking.latency(ws.get(0).peer(), Duration.ofMillis(3));
    ranking.success(ws.get(0).peer());
    int tried = firstPicks(ranking, ws).getOrDefault(ws.get(0).peer(), 0);
    assertTrue(tried < ROUNDS / 2, "the tried worker went first " + tried + " of " + ROUNDS);
  }

  @Test
  void aRecentFailureSendsAWorkerLast() {
    WorkerRanking ranking = new WorkerRanking(Clock.systemUTC(), new Random(5));
    WorkerCandidate failed = worker(0);
    WorkerCandidate busy = worker(3);
    ranking.failure(failed.peer());
    for (int i = 0; i < 100; i++) {
      assertEquals(failed.peer(), ranking.rank(List.of(failed, busy)).get(1).peer());
    }
  }
}
