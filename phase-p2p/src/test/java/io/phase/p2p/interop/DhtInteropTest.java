package io.phase.p2p.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.phase.p2p.host.Host;
import io.phase.p2p.identify.Identify;
import io.phase.p2p.kad.KadConfig;
import io.phase.p2p.kad.KadIdentifyFeed;
import io.phase.p2p.kad.KadNode;
import io.phase.p2p.kad.KadScheduler;
import io.phase.p2p.kad.KadService;
import io.phase.p2p.kad.KadServiceConfig;
import io.phase.p2p.kad.LookupResult;
import io.phase.p2p.kad.routing.PeerInfo;
import io.phase.p2p.kad.store.NamespacedValidator;
import io.phase.p2p.multiaddr.Multiaddr;
import io.phase.p2p.multiformats.Multihash;
import io.phase.p2p.peer.PeerId;
import io.phase.p2p.ping.Ping;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * phase-p2p's DHT ({@link KadService} + Identify) against real js-libp2p kad-dht servers: provider
 * records both ways under a sha2-256 multihash key, and FIND_NODE through a mixed chain of 5 js and
 * 5 Java nodes.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class DhtInteropTest {
  private static final Duration CMD = Duration.ofSeconds(60);
  private static final long WAIT_S = 60;

  private final List<AutoCloseable> closeables = new ArrayList<>();
  private ScheduledExecutorService timers;

  /** One Java DHT node. */
  private record JavaNode(Host host, Identify identify, KadService kad) {
    Multiaddr address() {
      return host.listenAddresses().get(0).withP2p(host.peerId());
    }
  }

  @BeforeEach
  void setUp() {
    JsPeerEnvironment.assumeNodeAvailable();
    timers = Executors.newSingleThreadScheduledExecutor();
  }

  @AfterEach
  void tearDown() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
    if (timers != null) { // null when setUp skipped the test (no node)
      timers.shutdownNow();
    }
  }

  private JavaNode java(List<Multiaddr> bootstrap) throws Exception {
    Host host =
        Host.builder().eventLoopThreads(1).listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")).build();
    closeables.add(() -> host.close(Duration.ofSeconds(2)));
    Identify identify = Identify.attach(host);
    closeables.add(identify);
    closeables.add(Ping.attach(host)); // js verifies new routing table contacts with a ping
    KadService kad =
        new KadService(
            host,
            KadServiceConfig.builder()
                .kad(
                    KadConfig.builder()
                        .queryTimeout(Duration.ofSeconds(5))
                        .lookupDeadline(Duration.ofSeconds(30))
                        .build())
                .bootstrap(bootstrap)
                .build(),
            KadIdentifyFeed.addressBook(identify.peerStore()),
            host::listenAddresses,
            new NamespacedValidator(Map.of()),
            KadScheduler.of(timers),
            Clock.systemUTC());
    closeables.add(kad);
    closeables.add(KadIdentifyFeed.attach(host, identify, kad.node()));
    kad.start();
    kad.joined().get(WAIT_S, TimeUnit.SECONDS);
    return new JavaNode(host, identify, kad);
  }

  private JsPeer js(String name) throws Exception {
    JsPeer peer = JsPeer.start(JsPeerOptions.defaults().withName(name).withDht(true));
    closeables.add(peer);
    return peer;
  }

  private static void await(String what, BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }

  private static List<String> jsRoutingTable(JsPeer peer) throws Exception {
    List<String> out = new ArrayList<>();
    peer.commandOk(JsPeer.request("dhtRoutingTable"), CMD)
        .path("peers")
        .forEach(p -> out.add(p.asText()));
    return out;
  }

  private static byte[] multihashKey(String capability) {
    return Multihash.sha256(capability.getBytes(StandardCharsets.UTF_8)).toBytes();
  }

  @Test
  void providerRecordsFlowBothWaysUnderAMultihashKey() throws Exception {
    JsPeer jsA = js("dht-a");
    JsPeer jsB = js("dht-b");
    jsB.commandOk(JsPeer.request("dial").put("addr", jsA.addrs().get(0)), CMD);
    JavaNode java = java(List.of(Multiaddr.parse(jsA.addrs().get(0))));
    JavaNode java2 = java(List.of(Multiaddr.parse(jsA.addrs().get(0))));
    // js admits Java servers it identified (they announce /ipfs/kad/1.0.0).
    await(
        "js-a lists the Java nodes",
        () -> {
          try {
            List<String> table = jsRoutingTable(jsA);
            return table.contains(java.host().peerId().toString())
                && table.contains(java2.host().peerId().toString());
          } catch (Exception e) {
            return false;
          }
        });

    // Java provides; js finds it.
    byte[] key = multihashKey("/phase/capability/x86_64/wasm");
    int delivered = java.kad().provide(key).get(WAIT_S, TimeUnit.SECONDS);
    assertTrue(delivered >= 2, "delivered to " + delivered);
    JsonNode found =
        jsB.commandOk(
            JsPeer.request("dhtFindProviders")
                .put("key", HexFormat.of().formatHex(key))
                .put("count", 1),
            CMD);
    assertEquals(
        java.host().peerId().toString(),
        found.path("providers").path(0).path("peer").asText(),
        found.toString());

    // js provides; Java finds it.
    byte[] jsKey = multihashKey("/phase/capability/aarch64/wasm");
    jsB.commandOk(JsPeer.request("dhtProvide").put("key", HexFormat.of().formatHex(jsKey)), CMD);
    KadNode.ProvidersResult r =
        java2.kad().node().findProviders(jsKey, 1).get(WAIT_S, TimeUnit.SECONDS);
    assertEquals(
        List.of(PeerId.parse(jsB.peerId())), r.providers().stream().map(PeerInfo::id).toList());
    assertFalse(r.providers().get(0).addrs().isEmpty(), "js provider record carries addresses");
  }

  @Test
  void findNodeRoutesThroughAMixedChainOfFiveJsAndFiveJavaNodes() throws Exception {
    // Chain: each node knows only its predecessor when it joins; kinds alternate.
    List<String> ids = new ArrayList<>();
    List<Object> nodes = new ArrayList<>();
    String previous = null;
    for (int i = 0; i < 10; i++) {
      if (i % 2 == 0) {
        JavaNode n = java(previous == null ? List.of() : List.of(Multiaddr.parse(previous)));
        nodes.add(n);
        ids.add(n.host().peerId().toString());
        previous = n.address().toString();
      } else {
        JsPeer p = js("chain-" + i);
        p.commandOk(JsPeer.request("dial").put("addr", previous), CMD);
        String prevId = ids.get(i - 1);
        await(
            "js " + i + " admits its predecessor",
            () -> {
              try {
                return jsRoutingTable(p).contains(prevId);
              } catch (Exception e) {
                return false;
              }
            });
        nodes.add(p);
        ids.add(p.peerId());
        previous = p.addrs().get(0);
      }
    }

    // Java at one end looks up the js node at the other end, having forgotten it if it knew it.
    JavaNode javaHead = (JavaNode) nodes.get(0);
    JsPeer jsTail = (JsPeer) nodes.get(9);
    PeerId tail = PeerId.parse(jsTail.peerId());
    javaHead.kad().node().routingTable().remove(tail);
    LookupResult r =
        javaHead.kad().node().findClosestPeers(tail.toBytes()).get(WAIT_S, TimeUnit.SECONDS);
    assertTrue(r.closest().stream().anyMatch(p -> p.id().equals(tail)), r.toString());
    assertTrue(r.hops() >= 1, r.toString());

    // js at one end finds the Java node at the far end, and a Java node in the middle.
    JsPeer jsHead = (JsPeer) nodes.get(1);
    for (int target : new int[] {8, 4}) {
      JavaNode t = (JavaNode) nodes.get(target);
      JsonNode found =
          jsHead.commandOk(
              JsPeer.request("dhtFindPeer").put("peer", t.host().peerId().toString()), CMD);
      assertTrue(found.path("found").asBoolean(), found.toString());
      String expected = t.host().listenAddresses().get(0).toString();
      boolean hasAddr = false;
      for (JsonNode a : found.path("addrs")) {
        hasAddr |= a.asText().startsWith(expected);
      }
      assertTrue(hasAddr, found.toString());
    }

    // And js finds js through the chain.
    JsonNode jsToJs =
        jsHead.commandOk(JsPeer.request("dhtFindPeer").put("peer", jsTail.peerId()), CMD);
    assertTrue(jsToJs.path("found").asBoolean(), jsToJs.toString());
  }
}
