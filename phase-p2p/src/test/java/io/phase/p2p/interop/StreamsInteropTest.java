package io.phase.p2p.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.Unpooled;
import io.phase.p2p.host.Connection;
import io.phase.p2p.host.Stream;
import io.phase.p2p.multiaddr.Multiaddr;
import io.phase.p2p.peer.PeerId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A custom protocol ({@code /phase/echo/1.0.0}) between phase-p2p and js-libp2p: 10 MB echoed
 * through each side, and 100 concurrent streams on one connection in each direction.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class StreamsInteropTest {
  private static final Duration COMMAND = Duration.ofSeconds(300);
  private static final int TEN_MB = 10 * 1024 * 1024;
  private static final int STREAMS = 100;
  private static final int STREAM_BYTES = 100 * 1024;

  @BeforeEach
  void requireNode() {
    JsPeerEnvironment.assumeNodeAvailable();
  }

  /** Opens an echo stream to the peer, sends {@code data}, half-closes; completes with the echo. */
  private static CompletableFuture<byte[]> echo(Connection c, byte[] data) {
    StreamCollector collector = new StreamCollector(data.length);
    return c.newStream(s -> s.channel().pipeline().addLast(collector), JavaNode.ECHO)
        .thenCompose(
            (Stream s) -> {
              for (int off = 0; off < data.length; off += 65536) {
                s.channel()
                    .write(Unpooled.wrappedBuffer(data, off, Math.min(65536, data.length - off)));
              }
              s.channel().flush();
              s.closeWrite();
              return collector.done;
            });
  }

  private static void echoTenMegabytesBothWays(JavaNode java, JsPeer js, Connection c)
      throws Exception {
    byte[] data = new byte[TEN_MB];
    new Random(42).nextBytes(data);
    assertArrayEquals(data, echo(c, data).get(300, TimeUnit.SECONDS), "js echoes our 10 MB");

    JsonNode echoed =
        js.commandOk(
            JsPeer.request("echo")
                .put("peer", java.host.peerId().toString())
                .put("bytes", TEN_MB)
                .put("streams", 1),
            COMMAND);
    assertEquals(TEN_MB, echoed.path("bytes").asInt(), echoed.toString());
  }

  private static void hundredStreamsBothWays(JavaNode java, JsPeer js, Connection c)
      throws Exception {
    Random random = new Random(7);
    List<byte[]> sent = new ArrayList<>();
    List<CompletableFuture<byte[]>> echoes = new ArrayList<>();
    for (int i = 0; i < STREAMS; i++) {
      byte[] data = new byte[STREAM_BYTES];
      random.nextBytes(data);
      sent.add(data);
      echoes.add(echo(c, data));
    }
    for (int i = 0; i < STREAMS; i++) {
      assertArrayEquals(sent.get(i), echoes.get(i).get(300, TimeUnit.SECONDS), "stream " + i);
    }
    assertEquals(1, java.host.connections(PeerId.parse(js.peerId())).size());

    JsonNode echoed =
        js.commandOk(
            JsPeer.request("echo")
                .put("peer", java.host.peerId().toString())
                .put("bytes", STREAM_BYTES)
                .put("streams", STREAMS),
            COMMAND);
    assertEquals(STREAMS, echoed.path("streams").asInt(), echoed.toString());
    JsonNode peers = js.commandOk(JsPeer.request("peers"), COMMAND);
    assertEquals(1, peers.path("peers").size(), peers.toString());
    assertEquals(1, peers.path("peers").get(0).path("addrs").size(), "one connection: " + peers);
  }

  @Test
  void javaDialsJs() throws Exception {
    try (JavaNode java = JavaNode.start();
        JsPeer js = JsPeer.start(JsPeerOptions.defaults().withName("streams-java-dials"))) {
      Connection c = java.host.dial(Multiaddr.parse(js.addrs().get(0))).get(30, TimeUnit.SECONDS);
      echoTenMegabytesBothWays(java, js, c);
      hundredStreamsBothWays(java, js, c);
    }
  }

  @Test
  void jsDialsJava() throws Exception {
    try (JavaNode java = JavaNode.start();
        JsPeer js = JsPeer.start(JsPeerOptions.defaults().withName("streams-js-dials"))) {
      js.commandOk(JsPeer.request("dial").put("addr", java.address().toString()), COMMAND);
      Connection c = java.connectionTo(PeerId.parse(js.peerId()));
      echoTenMegabytesBothWays(java, js, c);
      hundredStreamsBothWays(java, js, c);
    }
  }
}
