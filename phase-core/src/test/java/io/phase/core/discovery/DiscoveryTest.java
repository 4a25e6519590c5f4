package io.phase.core.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phase.core.identity.NodeKey;
import io.phase.core.node.NodeConfig;
import io.phase.core.node.PhaseNode;
import io.phase.p2p.kad.KadMode;
import io.phase.p2p.kad.KadProtocol;
import io.phase.p2p.multiaddr.Multiaddr;
import io.phase.p2p.peer.PeerId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Workers and a client as {@link PhaseNode}s in one JVM over loopback TCP. */
@Timeout(120)
class DiscoveryTest {
  private static final List<Multiaddr> LOOPBACK = List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"));
  private final List<PhaseNode> nodes = new ArrayList<>();

  @AfterEach
  void stop() {
    nodes.forEach(PhaseNode::close);
  }

  private PhaseNode start(NodeConfig config) throws Exception {
    PhaseNode n = PhaseNode.start(config);
    nodes.add(n);
    return n;
  }

  private static WorkerDetails details(String arch, int running) {
    return new WorkerDetails(
        arch,
        4,
        8192,
        "chicory",
        "1.7.5",
        2048,
        600_000,
        64L << 20,
        () -> new WorkerLoad(running, 0));
  }

  private NodeConfig config(List<Multiaddr> bootstrap) {
    return NodeConfig.of(NodeKey.generate(), LOOPBACK, "phase/test").withBootstrap(bootstrap);
  }

  @Test
  void clientFindsEveryVerifiedWorkerAndSkipsImpostors() throws Exception {
    PhaseNode first = start(config(List.of()).withWorker(details("x86_64", 3)));
    List<Multiaddr> boot = first.addresses();
    List<PhaseNode> workers = new ArrayList<>(List.of(first));
    for (int i = 0; i < 3; i++) {
      workers.add(start(config(boot).withWorker(details("x86_64", i))));
    }
    PhaseNode arm = start(config(boot).withWorker(details("aarch64", 0)));
    // An impostor advertises x86_64 but serves details signed by (and naming) another key.
    PhaseNode impostor = start(config(boot).withWorker(details("x86_64", 0)));
    NodeKey stranger = NodeKey.generate();
    WorkerInfoProtocol.serve(
        impostor.host(),
        () ->
            SignedWorkerInfo.sign(
                stranger,
                new WorkerInfo(
                    stranger.peerId(),
                    "x86_64",
                    1,
                    1,
                    "chicory",
                    "1",
                    1,
                    1,
                    1,
                    0,
                    0,
                    Instant.now())),
        Duration.ofSeconds(5));
    for (PhaseNode n : nodes) {
      n.joined().get(30, TimeUnit.SECONDS);
      n.advertised().get(30, TimeUnit.SECONDS);
    }

    PhaseNode client = start(config(boot).withDhtMode(KadMode.CLIENT));
    client.joined().get(30, TimeUnit.SECONDS);
    assertFalse(client.host().protocols().contains(KadProtocol.PROTOCOL_ID));
    List<DiscoveredWorker> found =
        client.discovery().findWorkers("x86_64", Duration.ofSeconds(30)).get(60, TimeUnit.SECONDS);
    Set<PeerId> expected = workers.stream().map(PhaseNode::peerId).collect(Collectors.toSet());
    assertEquals(expected, found.stream().map(DiscoveredWorker::peer).collect(Collectors.toSet()));
    for (DiscoveredWorker w : found) {
      assertEquals("x86_64", w.info().arch());
      assertEquals(4, w.info().cpuCores());
      assertEquals("chicory", w.info().runtimeName());
      assertFalse(w.addresses().isEmpty());
    }
    // Sorted by load: the first node (3 running) comes last.
    assertEquals(first.peerId(), found.get(found.size() - 1).peer());
    assertEquals(3, found.get(found.size() - 1).info().runningJobs());

    List<DiscoveredWorker> arms =
        client.discovery().findWorkers("aarch64", Duration.ofSeconds(30)).get(60, TimeUnit.SECONDS);
    assertEquals(List.of(arm.peerId()), arms.stream().map(DiscoveredWorker::peer).toList());
    assertTrue(impostor.kad().providedKeyCount() == 2);
  }
}
