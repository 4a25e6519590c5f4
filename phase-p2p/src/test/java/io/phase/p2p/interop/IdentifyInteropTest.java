package io.phase.p2p.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.phase.p2p.host.Connection;
import io.phase.p2p.identify.Identify;
import io.phase.p2p.identify.IdentifyResult;
import io.phase.p2p.multiaddr.Multiaddr;
import io.phase.p2p.peer.PeerId;
import io.phase.p2p.ping.Ping;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Identify and Identify Push between phase-p2p and js-libp2p, whoever dials. */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class IdentifyInteropTest {
  private static final Duration COMMAND = Duration.ofSeconds(60);
  private static final String JS_AGENT = "phase-interop/js-identify";

  @BeforeEach
  void requireNode() {
    JsPeerEnvironment.assumeNodeAvailable();
  }

  private static JsPeer startJs(String name) throws Exception {
    return JsPeer.start(JsPeerOptions.defaults().withName(name).withAgent(JS_AGENT));
  }

  @Test
  void javaDialsJsAndBothIdentify() throws Exception {
    try (JavaNode java = JavaNode.start();
        JsPeer js = startJs("identify-java-dials")) {
      PeerId jsPeer = PeerId.parse(js.peerId());
      Connection c = java.host.dial(Multiaddr.parse(js.addrs().get(0))).get(30, TimeUnit.SECONDS);
      checkBothViews(java, js, c);
    }
  }

  @Test
  void jsDialsJavaAndBothIdentify() throws Exception {
    try (JavaNode java = JavaNode.start();
        JsPeer js = startJs("identify-js-dials")) {
      JsonNode dialed =
          js.commandOk(JsPeer.request("dial").put("addr", java.address().toString()), COMMAND);
      assertEquals(java.host.peerId().toString(), dialed.path("peer").asText());
      Connection c = java.connectionTo(PeerId.parse(js.peerId()));
      checkBothViews(java, js, c);
    }
  }

  /** Checks what each side learned about the other over connection {@code c} (Java's end). */
  private static void checkBothViews(JavaNode java, JsPeer js, Connection c) throws Exception {
    PeerId jsPeer = PeerId.parse(js.peerId());
    Multiaddr jsListen = Multiaddr.parse(js.addrs().get(0)).withoutP2p();

    // Java's automatic identify of js, then an explicit one.
    IdentifyResult seen = java.identified(jsPeer);
    assertEquals(JS_AGENT, seen.agentVersion());
    assertEquals("ipfs/0.1.0", seen.protocolVersion());
    assertEquals(jsPeer.publicKey().orElseThrow(), seen.publicKey());
    for (String p :
        List.of(
            Identify.PROTOCOL,
            Identify.PUSH_PROTOCOL,
            Ping.PROTOCOL,
            JavaNode.ECHO,
            "/phase/sink/1.0.0",
            "/phase/source/1.0.0")) {
      assertTrue(seen.supports(p), p + " in " + seen.protocols());
    }
    assertTrue(seen.listenAddresses().contains(jsListen), seen.listenAddresses().toString());
    assertEquals(
        Optional.of(c.localAddress()),
        seen.observedAddress().map(Multiaddr::withoutP2p),
        "js observes our end of the connection");
    IdentifyResult explicit = java.identify.identify(c).get(60, TimeUnit.SECONDS);
    assertEquals(JS_AGENT, explicit.agentVersion());
    assertEquals(seen.protocols(), explicit.protocols());

    // js's identify of Java.
    JsonNode id =
        js.commandOk(
            JsPeer.request("identify").put("peer", java.host.peerId().toString()), COMMAND);
    assertEquals(java.host.peerId().toString(), id.path("peer").asText());
    assertEquals(JavaNode.AGENT, id.path("agentVersion").asText());
    assertEquals(Identify.PROTOCOL_VERSION, id.path("protocolVersion").asText());
    List<String> protocols = texts(id.path("protocols"));
    assertEquals(List.copyOf(new java.util.TreeSet<>(java.host.protocols())), protocols);
    assertTrue(
        texts(id.path("listenAddrs")).contains(java.host.listenAddresses().get(0).toString()),
        id.toString());
    assertEquals(
        c.remoteAddress().withoutP2p().toString(),
        id.path("observedAddr").asText(),
        "we tell js the address we see it at");
    JsonNode fresh =
        js.commandOk(
            JsPeer.request("identify")
                .put("peer", java.host.peerId().toString())
                .put("fresh", true),
            COMMAND);
    assertEquals("explicit", fresh.path("source").asText());
    assertEquals(JavaNode.AGENT, fresh.path("agentVersion").asText());

    // js's peer store took our protocols.
    JsonNode stored =
        js.commandOk(
            JsPeer.request("protocols").put("peer", java.host.peerId().toString()), COMMAND);
    assertTrue(texts(stored.path("protocols")).contains(JavaNode.ECHO), stored.toString());
  }

  @Test
  void protocolChangesArePushedBothWays() throws Exception {
    try (JavaNode java = JavaNode.start();
        JsPeer js = startJs("identify-push")) {
      PeerId jsPeer = PeerId.parse(js.peerId());
      String javaPeer = java.host.peerId().toString();
      java.host.dial(Multiaddr.parse(js.addrs().get(0))).get(30, TimeUnit.SECONDS);
      java.identified(jsPeer);
      // js pushes only to peers whose identify it has stored: wait until it knows our protocols.
      Eventually.get(
          () -> jsProtocols(js, javaPeer).filter(p -> p.contains(Identify.PUSH_PROTOCOL)),
          "js stores our protocols");

      // Java -> js
      String javaExtra = "/phase/java-extra/1.0.0";
      java.host.setStreamHandler(javaExtra, s -> s.channel().close());
      Eventually.get(
          () -> jsProtocols(js, javaPeer).filter(p -> p.contains(javaExtra)),
          "js learns our new protocol by push");
      java.host.removeStreamHandler(javaExtra);
      Eventually.get(
          () -> jsProtocols(js, javaPeer).filter(p -> !p.contains(javaExtra)),
          "js learns we dropped it");

      // js -> Java
      String jsExtra = "/phase/js-extra/1.0.0";
      js.commandOk(JsPeer.request("handle").put("protocol", jsExtra), COMMAND);
      IdentifyResult pushed =
          Eventually.get(
              () -> java.stored(jsPeer).filter(r -> r.supports(jsExtra)),
              "we learn js's new protocol by push");
      assertEquals(JS_AGENT, pushed.agentVersion());
      assertTrue(pushed.supports(JavaNode.ECHO), pushed.protocols().toString());
      js.commandOk(JsPeer.request("unhandle").put("protocol", jsExtra), COMMAND);
      Eventually.get(
          () -> java.stored(jsPeer).filter(r -> !r.supports(jsExtra)), "we learn js dropped it");
    }
  }

  private static Optional<List<String>> jsProtocols(JsPeer js, String peer) {
    try {
      JsonNode answer = js.command(JsPeer.request("protocols").put("peer", peer), COMMAND);
      return answer.path("ok").asBoolean()
          ? Optional.of(texts(answer.path("protocols")))
          : Optional.empty();
    } catch (Exception e) {
      throw new AssertionError("protocols command failed", e);
    }
  }

  static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
