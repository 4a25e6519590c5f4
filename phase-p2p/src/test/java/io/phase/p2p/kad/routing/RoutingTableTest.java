package io.phase.p2p.kad.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phase.p2p.kad.KadConfig;
import io.phase.p2p.kad.MutableClock;
import io.phase.p2p.kad.TestPeers;
import io.phase.p2p.multiaddr.Multiaddr;
import io.phase.p2p.peer.PeerId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RoutingTableTest {

  private static final PeerId LOCAL = TestPeers.peer(0);
  private static final KadKey LOCAL_KEY = KadKey.ofPeer(LOCAL);

  /** Liveness check whose answers the test controls. */
  private static final class Checks implements RoutingTable.LivenessCheck {
    final Map<PeerId, CompletableFuture<Boolean>> pending = new ConcurrentHashMap<>();
    final List<PeerId> asked = new CopyOnWriteArrayList<>();

    @Override
    public CompletableFuture<Boolean> isAlive(PeerInfo peer) {
      asked.add(peer.id());
      return pending.computeIfAbsent(peer.id(), p -> new CompletableFuture<>());
    }
  }

  private final MutableClock clock = new MutableClock();
  private final Checks checks = new Checks();

  private RoutingTable table(int k, int replacements) {
    KadConfig config =
        KadConfig.builder()
            .k(k)
            .replacementCacheSize(replacements)
            .livenessTimeout(Duration.ofSeconds(30))
            .build();
    return new RoutingTable(LOCAL, config.routingLimits(), checks, clock);
  }

  /** Peers (by test index) whose common prefix with LOCAL is exactly {@code cpl}. */
  private static List<Integer> peersInBucket(int cpl, int count) {
    List<Integer> out = new ArrayList<>();
    for (int n = 1; out.size() < count; n++) {
      if (LOCAL_KEY.commonPrefixLength(KadKey.ofPeer(TestPeers.peer(n))) == cpl) {
        out.add(n);
      }
    }
    return out;
  }

  @Test
  void addRefreshAndIgnore() {
    RoutingTable t = table(20, 4);
    assertEquals(
        RoutingTable.Update.IGNORED,
        t.peerAnswered(new PeerInfo(LOCAL, List.of(TestPeers.addr(0)))));
    assertEquals(RoutingTable.Update.IGNORED, t.peerAnswered(PeerInfo.of(TestPeers.peer(1))));
    assertEquals(
        RoutingTable.Update.IGNORED,
        t.peerAnswered(
            new PeerInfo(TestPeers.peer(1), List.of(Multiaddr.parse("/ip4/0.0.0.0/tcp/1")))));
    assertEquals(RoutingTable.Update.ADDED, t.peerAnswered(TestPeers.info(1)));
    assertEquals(RoutingTable.Update.REFRESHED, t.peerAnswered(TestPeers.info(1)));
    assertEquals(1, t.size());
    assertTrue(t.contains(TestPeers.peer(1)));
    assertFalse(t.contains(LOCAL));
    assertFalse(t.contains(TestPeers.peer(2)));
  }

  @Test
  void addressesAreMergedNewestFirstAndCapped() {
    RoutingTable t = table(20, 4);
    PeerId p = TestPeers.peer(1);
    List<Multiaddr> first = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      first.add(Multiaddr.parse("/ip4/10.0.0.1/tcp/" + (100 + i)));
    }
    t.peerAnswered(new PeerInfo(p, first));
    List<Multiaddr> second = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      second.add(Multiaddr.parse("/ip4/10.0.0.2/tcp/" + (200 + i)));
    }
    second.add(Multiaddr.parse("/ip4/0.0.0.0/tcp/9"));
    t.peerAnswered(new PeerInfo(p, second));
    List<Multiaddr> addrs = t.find(p).orElseThrow().addrs();
    assertEquals(8, addrs.size());
    assertEquals(second.subList(0, 4), addrs.subList(0, 4));
    assertEquals(first.subList(0, 4), addrs.subList(4, 8));
  }

  @Test
  void fullBucketKeepsLiveOldPeerAndCachesNewcomer() {
    RoutingTable t = table(4, 2);
    List<Integer> bucket0 = peersInBucket(0, 6);
    for (int i = 0; i < 4; i++) {
      assertEquals(RoutingTable.Update.ADDED, t.peerAnswered(TestPeers.info(bucket0.get(i))));
    }
    PeerId oldest = TestPeers.peer(bucket0.get(0));
    assertEquals(RoutingTable.Update.CACHED, t.peerAnswered(TestPeers.info(bucket0.get(4))));
    assertEquals(List.of(oldest), checks.asked);
    // A second newcomer while the check runs does not start another check.
    assertEquals(RoutingTable.Update.CACHED, t.peerAnswered(TestPeers.info(bucket0.get(5))));
    assertEquals(1, checks.asked.size());
    assertTrue(t.snapshot().buckets().get(0).livenessCheckPending());

    checks.pending.get(oldest).complete(true);
    assertTrue(t.contains(oldest));
    assertFalse(t.contains(TestPeers.peer(bucket0.get(4))));
    assertEquals(4, t.size());
    RoutingTableSnapshot.Bucket b = t.snapshot().buckets().get(0);
    assertFalse(b.livenessCheckPending());
    // The old peer answered, so it is now the most recently seen.
    assertEquals(oldest, b.peers().get(3).id());
    assertEquals(
        List.of(TestPeers.peer(bucket0.get(4)), TestPeers.peer(bucket0.get(5))), b.replacements());
  }

  @Test
  void deadOldPeerIsEvictedForNewestReplacement() {
    RoutingTable t = table(4, 2);
    List<Integer> bucket0 = peersInBucket(0, 6);
    for (int i = 0; i < 4; i++) {
      t.peerAnswered(TestPeers.info(bucket0.get(i)));
    }
    PeerId oldest = TestPeers.peer(bucket0.get(0));
    t.peerAnswered(TestPeers.info(bucket0.get(4)));
    t.peerAnswered(TestPeers.info(bucket0.get(5)));
    checks.pending.get(oldest).complete(false);
    assertFalse(t.contains(oldest));
    assertTrue(t.contains(TestPeers.peer(bucket0.get(5))));
    assertFalse(t.contains(TestPeers.peer(bucket0.get(4))));
    assertEquals(4, t.size());
    assertEquals(
        List.of(TestPeers.peer(bucket0.get(4))), t.snapshot().buckets().get(0).replacements());
  }

  @Test
  void failedOrTimedOutCheckCountsAsDead() throws Exception {
    KadConfig config =
        KadConfig.builder()
            .k(2)
            .replacementCacheSize(2)
            .livenessTimeout(Duration.ofMillis(50))
            .build();
    List<Integer> bucket0 = peersInBucket(0, 4);
    RoutingTable.LivenessCheck neverAnswers = p -> new CompletableFuture<>();
    RoutingTable t = new RoutingTable(LOCAL, config.routingLimits(), neverAnswers, clock);
    t.peerAnswered(TestPeers.info(bucket0.get(0)));
    t.peerAnswered(TestPeers.info(bucket0.get(1)));
    t.peerAnswered(TestPeers.info(bucket0.get(2)));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (t.contains(TestPeers.peer(bucket0.get(0))) && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertFalse(t.contains(TestPeers.peer(bucket0.get(0))));
    assertTrue(t.contains(TestPeers.peer(bucket0.get(2))));

    RoutingTable.LivenessCheck throwing =
        p -> {
          throw new IllegalStateException("no connection");
        };
    RoutingTable t2 = new RoutingTable(LOCAL, config.routingLimits(), throwing, clock);
    t2.peerAnswered(TestPeers.info(bucket0.get(0)));
    t2.peerAnswered(TestPeers.info(bucket0.get(1)));
    t2.peerAnswered(TestPeers.info(bucket0.get(2)));
    assertFalse(t2.contains(TestPeers.peer(bucket0.get(0))));
    assertTrue(t2.contains(TestPeers.peer(bucket0.get(2))));
  }

  @Test
  void failingPeersAreReplacedOrEvictedAfterRepeatedFailures() {
    RoutingTable t = table(2, 2);
    List<Integer> bucket0 = peersInBucket(0, 3);
    t.peerAnswered(TestPeers.info(bucket0.get(0)));
    PeerId a = TestPeers.peer(bucket0.get(0));
    // No replacement: evicted only after MAX_FAILURES consecutive failures.
    for (int i = 1; i < RoutingTable.MAX_FAILURES; i++) {
      t.peerFailed(a);
      assertTrue(t.contains(a));
    }
    assertEquals(
        RoutingTable.MAX_FAILURES - 1, t.snapshot().buckets().get(0).peers().get(0).failures());
    t.peerAnswered(TestPeers.info(bucket0.get(0))); // answering resets the count
    t.peerFailed(a);
    assertTrue(t.contains(a));
    t.peerFailed(a);
    t.peerFailed(a);
    assertFalse(t.contains(a));

    // With a replacement waiting, one failure is enough.
    t.peerAnswered(TestPeers.info(bucket0.get(0)));
    t.peerAnswered(TestPeers.info(bucket0.get(1)));
    t.peerAnswered(TestPeers.info(bucket0.get(2))); // cached, check pending on bucket0[0]
    t.peerFailed(TestPeers.peer(bucket0.get(1)));
    assertFalse(t.contains(TestPeers.peer(bucket0.get(1))));
    assertTrue(t.contains(TestPeers.peer(bucket0.get(2))));
    assertEquals(2, t.size());
  }

  @Test
  void closestMatchesBruteForce() {
    RoutingTable t = table(20, 4);
    List<PeerInfo> added = new ArrayList<>();
    for (int n = 1; n <= 300; n++) {
      if (t.peerAnswered(TestPeers.info(n)) == RoutingTable.Update.ADDED) {
        added.add(TestPeers.info(n));
      }
    }
    assertEquals(added.size(), t.size());
    assertTrue(t.bucketSizes().values().stream().allMatch(s -> s <= 20));
    assertEquals(20, t.bucketSizes().get(0)); // ~150 peers share no prefix with us
    for (int probe = 0; probe < 20; probe++) {
      KadKey target = KadKey.of(new byte[] {(byte) probe});
      List<PeerInfo> expected = new ArrayList<>(added);
      expected.sort(Comparator.comparing(p -> p.kadKey(), KadKey.byDistanceTo(target)));
      assertEquals(expected.subList(0, 20), t.closest(target, 20));
    }
    assertEquals(List.of(), t.closest(LOCAL_KEY, 0));
    assertEquals(added.size(), t.closest(LOCAL_KEY, 10_000).size());
  }

  @Test
  void snapshotAndRemove() {
    RoutingTable t = table(20, 4);
    t.peerAnswered(TestPeers.info(1));
    clock.advance(Duration.ofMinutes(5));
    t.peerAnswered(TestPeers.info(1));
    RoutingTableSnapshot s = t.snapshot();
    assertEquals(LOCAL, s.local());
    assertEquals(1, s.size());
    RoutingTableSnapshot.Peer p = s.buckets().get(0).peers().get(0);
    assertEquals(Duration.ofMinutes(5), Duration.between(p.addedAt(), p.lastSeen()));
    assertEquals(
        LOCAL_KEY.commonPrefixLength(KadKey.ofPeer(TestPeers.peer(1))),
        s.buckets().get(0).commonPrefixLength());
    assertTrue(t.remove(TestPeers.peer(1)));
    assertFalse(t.remove(TestPeers.peer(1)));
    assertEquals(0, t.snapshot().size());
    assertTrue(t.snapshot().buckets().isEmpty());
  }

  @Test
  void concurrentUseKeepsInvariants() throws Exception {
    RoutingTable.LivenessCheck coinFlip =
        p -> CompletableFuture.supplyAsync(() -> p.id().hashCode() % 2 == 0);
    RoutingTable t =
        new RoutingTable(
            LOCAL,
            KadConfig.builder().k(5).replacementCacheSize(3).build().routingLimits(),
            coinFlip,
            clock);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        int worker = w;
        futures.add(
            pool.submit(
                () -> {
                  for (int n = 1; n <= 400; n++) {
                    int peer = (n * 7 + worker * 13) % 400 + 1;
                    t.peerAnswered(TestPeers.info(peer));
                    if (n % 5 == worker) {
                      t.peerFailed(TestPeers.peer(peer));
                    }
                    t.closest(KadKey.ofPeer(TestPeers.peer(n)), 20);
                  }
                }));
      }
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    Thread.sleep(200); // let asynchronous liveness results land
    RoutingTableSnapshot s = t.snapshot();
    int sum = s.buckets().stream().mapToInt(b -> b.peers().size()).sum();
    assertEquals(s.size(), sum);
    assertEquals(t.size(), sum);
    assertTrue(
        s.buckets().stream().allMatch(b -> b.peers().size() <= 5 && b.replacements().size() <= 3));
  }
}
