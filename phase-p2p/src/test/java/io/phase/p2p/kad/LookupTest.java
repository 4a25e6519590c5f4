package io.phase.p2p.kad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phase.p2p.kad.routing.KadKey;
import io.phase.p2p.kad.routing.PeerInfo;
import io.phase.p2p.kad.wire.KadMessage;
import io.phase.p2p.peer.PeerId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Lookup against a scripted network: a fixed "who knows whom" graph answered from a thread pool.
 */
class LookupTest {

  private static final PeerId LOCAL = TestPeers.peer(0);

  /** Each peer answers with the 24 closest of the whole population (a perfect table). */
  private static final class ScriptedNetwork implements KadNetwork {
    final List<PeerInfo> population;
    final Set<PeerId> dead = ConcurrentHashMap.newKeySet();
    final Set<PeerId> silent = ConcurrentHashMap.newKeySet();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    final List<PeerId> asked = new CopyOnWriteArrayList<>();

    ScriptedNetwork(List<PeerInfo> population) {
      this.population = population;
    }

    @Override
    public CompletableFuture<KadMessage> request(PeerInfo peer, KadMessage msg, Duration timeout) {
      asked.add(peer.id());
      maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      if (silent.contains(peer.id())) {
        CompletableFuture<KadMessage> never = new CompletableFuture<>();
        never.whenComplete((r, e) -> inFlight.decrementAndGet());
        return never.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
      }
      return CompletableFuture.supplyAsync(
          () -> {
            try {
              if (dead.contains(peer.id())) {
                throw new IllegalStateException("connection refused");
              }
              KadKey target = KadKey.of(msg.key().toByteArray());
              List<PeerInfo> closest =
                  population.stream()
                      .filter(p -> !p.id().equals(peer.id()))
                      .sorted(Comparator.comparing(PeerInfo::kadKey, KadKey.byDistanceTo(target)))
                      .limit(24) // a few more than k, so peers past two failures are revealed
                      .toList();
              return new KadMessage(msg.type(), msg.key(), null, closest, List.of());
            } finally {
              inFlight.decrementAndGet();
            }
          },
          CompletableFuture.delayedExecutor(2, TimeUnit.MILLISECONDS));
    }

    @Override
    public CompletableFuture<Void> send(PeerInfo peer, KadMessage msg, Duration timeout) {
      return CompletableFuture.failedFuture(new UnsupportedOperationException());
    }
  }

  private static final class Feedback implements Lookup.Listener {
    final List<PeerId> answered = new CopyOnWriteArrayList<>();
    final List<PeerId> failed = new CopyOnWriteArrayList<>();

    @Override
    public void answered(PeerInfo peer) {
      answered.add(peer.id());
    }

    @Override
    public void failed(PeerId peer) {
      failed.add(peer);
    }
  }

  private static List<PeerInfo> population(int n) {
    List<PeerInfo> out = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      out.add(TestPeers.info(i));
    }
    return out;
  }

  private static List<PeerId> trueClosest(List<PeerInfo> pop, KadKey target, Set<PeerId> exclude) {
    return pop.stream()
        .map(PeerInfo::id)
        .filter(p -> !exclude.contains(p))
        .sorted(Comparator.comparing(KadKey::ofPeer, KadKey.byDistanceTo(target)))
        .limit(20)
        .toList();
  }

  private static LookupResult run(
      ScriptedNetwork net,
      KadConfig config,
      KadKey target,
      byte[] key,
      List<PeerInfo> seeds,
      Lookup.Collector c,
      Feedback fb)
      throws Exception {
    return new Lookup(LOCAL, target, KadMessage.findNode(key), seeds, net, config, c, fb)
        .start()
        .get(30, TimeUnit.SECONDS);
  }

  @Test
  void convergesOnTrueClosestWithAlphaBound() throws Exception {
    List<PeerInfo> pop = population(300);
    ScriptedNetwork net = new ScriptedNetwork(pop);
    Feedback fb = new Feedback();
    byte[] key = TestPeers.peer(9999).toBytes();
    KadKey target = KadKey.of(key);
    KadConfig config = KadConfig.builder().alpha(3).build();
    LookupResult r = run(net, config, target, key, pop.subList(250, 253), (f, m, h) -> false, fb);
    assertEquals(LookupResult.Termination.CONVERGED, r.termination());
    assertEquals(
        trueClosest(pop, target, Set.of()), r.closest().stream().map(PeerInfo::id).toList());
    assertTrue(net.maxInFlight.get() <= 3, "in flight " + net.maxInFlight.get());
    assertEquals(r.queried(), net.asked.size());
    assertEquals(r.queried(), fb.answered.size());
    assertEquals(2, r.hops()); // seeds, then the true closest they reveal
    assertEquals(net.asked.size(), Set.copyOf(net.asked).size(), "no peer is asked twice");
  }

  @Test
  void failedAndSilentPeersAreSkippedAndReported() throws Exception {
    List<PeerInfo> pop = population(200);
    ScriptedNetwork net = new ScriptedNetwork(pop);
    byte[] key = TestPeers.peer(777).toBytes();
    KadKey target = KadKey.of(key);
    List<PeerId> closest = trueClosest(pop, target, Set.of());
    net.dead.add(closest.get(0));
    net.silent.add(closest.get(1));
    Feedback fb = new Feedback();
    KadConfig config = KadConfig.builder().queryTimeout(Duration.ofMillis(200)).build();
    LookupResult r = run(net, config, target, key, pop.subList(0, 5), (f, m, h) -> false, fb);
    assertEquals(LookupResult.Termination.CONVERGED, r.termination());
    assertEquals(
        trueClosest(pop, target, Set.of(closest.get(0), closest.get(1))),
        r.closest().stream().map(PeerInfo::id).toList());
    assertEquals(2, r.failed());
    assertTrue(fb.failed.containsAll(List.of(closest.get(0), closest.get(1))));
  }

  @Test
  void collectorStopsEarlyAndRecordsHop() throws Exception {
    List<PeerInfo> pop = population(200);
    ScriptedNetwork net = new ScriptedNetwork(pop);
    byte[] key = "k".getBytes();
    KadKey target = KadKey.of(key);
    PeerId wanted = trueClosest(pop, target, Set.of()).get(3);
    LookupResult r =
        run(
            net,
            KadConfig.defaults(),
            target,
            key,
            pop.subList(0, 3),
            (f, m, h) -> f.id().equals(wanted),
            new Feedback());
    assertEquals(LookupResult.Termination.SATISFIED, r.termination());
    assertEquals(2, r.hops());
  }

  @Test
  void deadlineEndsALookupWithPartialResults() throws Exception {
    List<PeerInfo> pop = population(50);
    ScriptedNetwork net = new ScriptedNetwork(pop);
    pop.forEach(p -> net.silent.add(p.id()));
    net.silent.remove(pop.get(0).id());
    KadConfig config =
        KadConfig.builder()
            .queryTimeout(Duration.ofSeconds(20))
            .lookupDeadline(Duration.ofMillis(300))
            .build();
    long start = System.nanoTime();
    LookupResult r =
        run(
            net,
            config,
            KadKey.of(new byte[] {1}),
            new byte[] {1},
            pop.subList(0, 1),
            (f, m, h) -> false,
            new Feedback());
    assertEquals(LookupResult.Termination.DEADLINE, r.termination());
    assertEquals(List.of(pop.get(0)), r.closest());
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10));
  }

  @Test
  void noSeedsOrAllDeadIsExhausted() throws Exception {
    List<PeerInfo> pop = population(10);
    ScriptedNetwork net = new ScriptedNetwork(pop);
    assertEquals(
        LookupResult.Termination.EXHAUSTED,
        run(
                net,
                KadConfig.defaults(),
                KadKey.of(new byte[0]),
                new byte[0],
                List.of(),
                (f, m, h) -> false,
                new Feedback())
            .termination());
    pop.forEach(p -> net.dead.add(p.id()));
    LookupResult r =
        run(
            net,
            KadConfig.defaults(),
            KadKey.of(new byte[0]),
            new byte[0],
            pop,
            (f, m, h) -> false,
            new Feedback());
    assertEquals(LookupResult.Termination.EXHAUSTED, r.termination());
    assertEquals(10, r.failed());
    assertTrue(r.closest().isEmpty());
    // Fewer than k peers, all answering: exhausted with all of them.
    ScriptedNetwork small = new ScriptedNetwork(pop);
    LookupResult all =
        run(
            small,
            KadConfig.defaults(),
            KadKey.of(new byte[0]),
            new byte[0],
            pop.subList(0, 1),
            (f, m, h) -> false,
            new Feedback());
    assertEquals(LookupResult.Termination.EXHAUSTED, all.termination());
    assertEquals(10, all.closest().size());
  }

  @Test
  void trackedPeersAreBounded() throws Exception {
    List<PeerInfo> pop = population(300);
    ScriptedNetwork net = new ScriptedNetwork(pop);
    KadConfig config = KadConfig.builder().maxLookupPeers(25).build();
    byte[] key = new byte[] {7};
    LookupResult r =
        run(
            net,
            config,
            KadKey.of(key),
            key,
            pop.subList(0, 3),
            (f, m, h) -> false,
            new Feedback());
    assertEquals(LookupResult.Termination.CONVERGED, r.termination());
    assertEquals(
        trueClosest(pop, KadKey.of(key), Set.of()),
        r.closest().stream().map(PeerInfo::id).toList());
    assertTrue(r.queried() <= 25 + 3, "queried " + r.queried());
  }
}
