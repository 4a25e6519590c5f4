package io.phase.p2p.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Proves the harness and the js side: two real js-libp2p peers started through {@link JsPeer} dial,
 * ping, identify and echo over TCP + Noise + Yamux.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class JsPeerSmokeTest {
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
  private static final String AGENT_A = "phase-smoke/a";
  private static final String AGENT_B = "phase-smoke/b";

  /** An Ed25519 key in libp2p protobuf form and the PeerId js-libp2p derives from it. */
  private static final String FIXED_KEY =
      "08011240036c7ced2697debd167f6469fcacaaae0f39587a730e053a9f04209786d0efc0f7"
          + "05df8a60c7ce97c9e16612141df43507a58eac08be5f3b0434785aa1a8f6e1";

  private static final String FIXED_PEER_ID =
      "12D3KooWSSe4h4bdJ8nPqLBApfMHKJi69r2xdfjpncVVLjVx1duS";

  @BeforeEach
  void requireNode() {
    JsPeerEnvironment.assumeNodeAvailable();
  }

  @Test
  void twoJsPeersDialPingIdentifyAndEcho() throws Exception {
    try (JsPeer a =
            JsPeer.start(JsPeerOptions.defaults().withName("a").withAgent(AGENT_A).withDht(true));
        JsPeer b = JsPeer.start(JsPeerOptions.defaults().withName("b").withAgent(AGENT_B))) {
      String addrA = a.addrs().get(0);
      assertTrue(addrA.startsWith("/ip4/127.0.0.1/tcp/"), addrA);
      assertTrue(addrA.endsWith("/p2p/" + a.peerId()), addrA);
      assertTrue(a.peerId().startsWith("12D3KooW"), a.peerId());

      JsonNode dialed = b.commandOk(JsPeer.request("dial").put("addr", addrA), COMMAND_TIMEOUT);
      assertEquals(a.peerId(), dialed.path("peer").asText());

      JsonNode pinged =
          b.commandOk(
              JsPeer.request("ping").put("peer", a.peerId()).put("count", 3), COMMAND_TIMEOUT);
      assertEquals(3, pinged.path("rtts").size());
      pinged.path("rtts").forEach(rtt -> assertTrue(rtt.asDouble(-1) >= 0, rtt.toString()));

      JsonNode identified =
          b.commandOk(JsPeer.request("identify").put("peer", a.peerId()), COMMAND_TIMEOUT);
      assertEquals(a.peerId(), identified.path("peer").asText());
      assertEquals(AGENT_A, identified.path("agentVersion").asText());
      List<String> protocols = texts(identified.path("protocols"));
      for (String expected :
          List.of(
              "/ipfs/id/1.0.0",
              "/ipfs/ping/1.0.0",
              "/phase/echo/1.0.0",
              "/phase/sink/1.0.0",
              "/phase/source/1.0.0",
              "/ipfs/kad/1.0.0")) {
        assertTrue(protocols.contains(expected), expected + " in " + protocols);
      }
      String listenA = addrA.substring(0, addrA.indexOf("/p2p/"));
      assertTrue(
          texts(identified.path("listenAddrs")).contains(listenA),
          identified.path("listenAddrs").toString());
      assertTrue(
          identified.path("observedAddr").asText().startsWith("/ip4/127.0.0.1/tcp/"),
          identified.toString());

      JsonNode stored =
          b.commandOk(JsPeer.request("protocols").put("peer", a.peerId()), COMMAND_TIMEOUT);
      assertTrue(texts(stored.path("protocols")).contains("/phase/echo/1.0.0"), stored.toString());

      JsonNode echoed =
          b.commandOk(
              JsPeer.request("echo")
                  .put("peer", a.peerId())
                  .put("bytes", 1024 * 1024)
                  .put("streams", 4),
              COMMAND_TIMEOUT);
      assertEquals(1024 * 1024, echoed.path("bytes").asInt());
      assertEquals(4, echoed.path("streams").asInt());
      assertTrue(echoed.path("ms").asDouble(-1) >= 0, echoed.toString());

      JsonNode peersOfA = a.commandOk("{\"cmd\":\"peers\"}", COMMAND_TIMEOUT);
      List<String> connected = new ArrayList<>();
      peersOfA.path("peers").forEach(p -> connected.add(p.path("peer").asText()));
      assertEquals(List.of(b.peerId()), connected);
    }
  }

  @Test
  void failuresComeBackAsErrorsNotHangs() throws Exception {
    try (JsPeer peer = JsPeer.start(JsPeerOptions.defaults().withName("errors"))) {
      JsonNode unknown = peer.command("{\"cmd\":\"no-such-command\"}", COMMAND_TIMEOUT);
      assertFalse(unknown.path("ok").asBoolean(true), unknown.toString());

      JsPeerCommandException noConnection =
          assertThrows(
              JsPeerCommandException.class,
              () ->
                  peer.commandOk(
                      JsPeer.request("identify").put("peer", FIXED_PEER_ID), COMMAND_TIMEOUT));
      assertTrue(
          noConnection.answer().path("error").asText().contains("no open connection"),
          noConnection.getMessage());

      assertThrows(IllegalArgumentException.class, () -> peer.command("[1]", COMMAND_TIMEOUT));
    }
  }

  @Test
  void fixedKeyGivesKnownPeerIdAndCloseEndsProcess() throws Exception {
    JsPeer peer =
        JsPeer.start(
            JsPeerOptions.defaults()
                .withName("fixed-key")
                .withPrivateKey(HexFormat.of().parseHex(FIXED_KEY)));
    try {
      assertEquals(FIXED_PEER_ID, peer.peerId());
      assertTrue(peer.isAlive());
    } finally {
      peer.close();
    }
    assertFalse(peer.isAlive());
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(node -> texts.add(node.asText()));
    return texts;
  }
}
