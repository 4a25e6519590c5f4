package io.phase.p2p.kad;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phase.p2p.kad.routing.KadKey;
import io.phase.p2p.kad.routing.PeerInfo;
import io.phase.p2p.kad.store.NamespacedValidator;
import io.phase.p2p.kad.store.VersionValidator;
import io.phase.p2p.peer.PeerId;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** 200 in-process nodes: bootstrap, closest-peer accuracy, providers, values, churn. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KadNetworkSimulationTest {

  private static final Logger LOG = LoggerFactory.getLogger(KadNetworkSimulationTest.class);
  private static final int NODES = 200;
  private static final long WAIT_S = 60;

  private final InMemoryKadNetwork net = new InMemoryKadNetwork();
  private final List<KadNode> nodes = new ArrayList<>();
  private final Random rnd = new Random(42);
  private final KadConfig config =
      KadConfig.builder()
          .queryTimeout(Duration.ofSeconds(2))
          .livenessTimeout(Duration.ofSeconds(2))
          .lookupDeadline(Duration.ofSeconds(30))
          .build();

  @BeforeAll
  void buildNetwork() throws Exception {
    NamespacedValidator validator = new NamespacedValidator(Map.of("v", new VersionValidator()));
    for (int i = 0; i < NODES; i++) {
      PeerInfo self = TestPeers.info(10_000 + i);
      KadNode node =
          new KadNode(
              self.id(), self::addrs, net.endpoint(self), config, validator, Clock.systemUTC());
      net.register(node);
      nodes.add(node);
    }
    PeerInfo boot = nodes.get(0).localInfo();
    for (int i = 1; i < NODES; i++) {
      LookupResult r = nodes.get(i).bootstrap(List.of(boot)).get(WAIT_S, TimeUnit.SECONDS);
      assertTrue(r.closest().size() > 0, "node " + i + " found peers");
    }
    // One refresh round (as the periodic bootstrap would do) now that everyone has joined.
    for (KadNode n : nodes) {
      n.bootstrap(List.of()).get(WAIT_S, TimeUnit.SECONDS);
    }
    int min = Integer.MAX_VALUE;
    long sum = 0;
    for (KadNode n : nodes) {
      min = Math.min(min, n.routingTable().size());
      sum += n.routingTable().size();
    }
    LOG.info(
        "sim_network_ready nodes={} table_min={} table_avg={} requests={}",
        NODES,
        min,
        sum / NODES,
        net.requests.get());
    assertTrue(min >= 20, "every table holds at least k peers, min=" + min);
  }

  @AfterAll
  void tearDown() throws Exception {
    net.close();
  }

  private KadNode randomNode() {
    return nodes.get(rnd.nextInt(NODES));
  }

  private List<PeerId> trueClosest(byte[] key, int n, Set<PeerId> exclude) {
    KadKey target = KadKey.of(key);
    return nodes.stream()
        .map(KadNode::localPeer)
        .filter(p -> !exclude.contains(p))
        .sorted(Comparator.comparing(KadKey::ofPeer, KadKey.byDistanceTo(target)))
        .limit(n)
        .toList();
  }

  @Test
  void findClosestPeersReturnsTheTrueClosest() throws Exception {
    int overlapSum = 0;
    int lookups = 30;
    for (int i = 0; i < lookups; i++) {
      KadNode from = randomNode();
      byte[] key = ("closest-" + i).getBytes(StandardCharsets.UTF_8);
      LookupResult r = from.findClosestPeers(key).get(WAIT_S, TimeUnit.SECONDS);
      assertEquals(LookupResult.Termination.CONVERGED, r.termination());
      List<PeerId> expected = trueClosest(key, 20, Set.of(from.localPeer()));
      List<PeerId> got = r.closest().stream().map(PeerInfo::id).toList();
      assertEquals(expected.get(0), got.get(0), "the closest peer is always found");
      Set<PeerId> overlap = new HashSet<>(expected);
      overlap.retainAll(got);
      overlapSum += overlap.size();
      assertTrue(r.hops() <= 6, "hops=" + r.hops());
    }
    double avg = overlapSum / (double) lookups;
    LOG.info("sim_find_closest lookups={} avg_overlap_of_20={}", lookups, avg);
    assertTrue(avg >= 19, "average overlap with the true 20 closest: " + avg);
  }

  @Test
  void everyProviderLookupFindsTheProvider() throws Exception {
    int lookups = 0;
    int hopSum = 0;
    int maxHops = 0;
    for (int k = 0; k < 10; k++) {
      byte[] key = ("/phase/capability/x86_64/test-" + k).getBytes(StandardCharsets.UTF_8);
      KadNode provider = randomNode();
      int delivered = provider.provide(key).get(WAIT_S, TimeUnit.SECONDS);
      assertEquals(20, delivered);
      for (int q = 0; q < 5; q++) {
        KadNode asker = randomNode();
        if (asker == provider) {
          continue;
        }
        KadNode.ProvidersResult r = asker.findProviders(key, 1).get(WAIT_S, TimeUnit.SECONDS);
        assertEquals(List.of(provider.localInfo()), r.providers(), "lookup " + k + "/" + q);
        lookups++;
        hopSum += r.lookup().hops();
        maxHops = Math.max(maxHops, r.lookup().hops());
      }
    }
    LOG.info(
        "sim_find_providers lookups={} avg_hops={} max_hops={}",
        lookups,
        hopSum / (double) lookups,
        maxHops);
    assertTrue(maxHops <= 4, "max hops " + maxHops);
  }

  @Test
  void manyProvidersAreCollectedUpToWanted() throws Exception {
    byte[] key = "/phase/capability/aarch64/many".getBytes(StandardCharsets.UTF_8);
    Set<PeerId> providers = new HashSet<>();
    for (int i = 0; i < 30; i++) {
      KadNode p = nodes.get(100 + i);
      p.provide(key).get(WAIT_S, TimeUnit.SECONDS);
      providers.add(p.localPeer());
    }
    KadNode.ProvidersResult r = nodes.get(3).findProviders(key, 25).get(WAIT_S, TimeUnit.SECONDS);
    assertEquals(25, r.providers().size());
    assertTrue(r.providers().stream().allMatch(p -> providers.contains(p.id())));
    assertEquals(LookupResult.Termination.SATISFIED, r.lookup().termination());
  }

  @Test
  void valuesArePutAndGotWithTheBestWinning() throws Exception {
    byte[] key = "/v/config".getBytes(StandardCharsets.UTF_8);
    assertEquals(
        20,
        (int)
            nodes
                .get(5)
                .putValue(key, "1".getBytes(StandardCharsets.UTF_8))
                .get(WAIT_S, TimeUnit.SECONDS));
    assertTrue(
        nodes
                .get(6)
                .putValue(key, "7".getBytes(StandardCharsets.UTF_8))
                .get(WAIT_S, TimeUnit.SECONDS)
            >= 19);
    KadNode.ValueResult r = nodes.get(150).getValue(key, 3).get(WAIT_S, TimeUnit.SECONDS);
    assertArrayEquals(
        "7".getBytes(StandardCharsets.UTF_8), r.record().orElseThrow().value().toByteArray());
    KadNode.ValueResult missing =
        nodes
            .get(150)
            .getValue("/v/absent".getBytes(StandardCharsets.UTF_8), 1)
            .get(WAIT_S, TimeUnit.SECONDS);
    assertTrue(missing.record().isEmpty());
    // An invalid value is refused locally before anything is sent.
    assertTrue(
        nodes
            .get(5)
            .putValue(key, "x".getBytes(StandardCharsets.UTF_8))
            .isCompletedExceptionally());
  }

  @Test
  void providerLookupsSurviveChurn() throws Exception {
    byte[] key = "/phase/capability/x86_64/churn".getBytes(StandardCharsets.UTF_8);
    KadNode provider = nodes.get(77);
    provider.provide(key).get(WAIT_S, TimeUnit.SECONDS);
    List<PeerId> down = new ArrayList<>();
    for (int i = 0; i < NODES; i += 5) { // 20% of the nodes go away
      if (i != 77 && i != 78) {
        down.add(nodes.get(i).localPeer());
        net.setOffline(nodes.get(i).localPeer(), true);
      }
    }
    try {
      for (int q = 0; q < 10; q++) {
        KadNode asker = nodes.get(1 + 5 * q + 1);
        KadNode.ProvidersResult r = asker.findProviders(key, 1).get(WAIT_S, TimeUnit.SECONDS);
        assertEquals(
            List.of(provider.localPeer()), r.providers().stream().map(PeerInfo::id).toList());
      }
    } finally {
      for (PeerId p : down) {
        net.setOffline(p, false);
      }
    }
  }
}
