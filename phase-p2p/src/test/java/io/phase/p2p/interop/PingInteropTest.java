package io.phase.p2p.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.phase.p2p.host.Connection;
import io.phase.p2p.multiaddr.Multiaddr;
import io.phase.p2p.peer.PeerId;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Ping between phase-p2p and js-libp2p, both directions, whoever dials. */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class PingInteropTest {
  private static final Duration COMMAND = Duration.ofSeconds(60);

  @BeforeEach
  void requireNode() {
    JsPeerEnvironment.assumeNodeAvailable();
  }

  private static void pingBothWays(JavaNode java, JsPeer js, Connection c) throws Exception {
    List<Duration> rtts = java.ping.ping(c, 10).get(120, TimeUnit.SECONDS);
    assertEquals(10, rtts.size());
    rtts.forEach(rtt -> assertTrue(!rtt.isNegative(), rtt.toString()));

    JsonNode pinged =
        js.commandOk(
            JsPeer.request("ping").put("peer", java.host.peerId().toString()).put("count", 10),
            COMMAND);
    assertEquals(10, pinged.path("rtts").size(), pinged.toString());
    pinged.path("rtts").forEach(rtt -> assertTrue(rtt.asDouble(-1) >= 0, rtt.toString()));
  }

  @Test
  void javaDialsJs() throws Exception {
    try (JavaNode java = JavaNode.start();
        JsPeer js = JsPeer.start(JsPeerOptions.defaults().withName("ping-java-dials"))) {
      Connection c = java.host.dial(Multiaddr.parse(js.addrs().get(0))).get(30, TimeUnit.SECONDS);
      pingBothWays(java, js, c);
    }
  }

  @Test
  void jsDialsJava() throws Exception {
    try (JavaNode java = JavaNode.start();
        JsPeer js = JsPeer.start(JsPeerOptions.defaults().withName("ping-js-dials"))) {
      js.commandOk(
          JsPeer.request("ping").put("addr", java.address().toString()).put("count", 3), COMMAND);
      pingBothWays(java, js, java.connectionTo(PeerId.parse(js.peerId())));
    }
  }
}
