package io.phase.p2p.ping;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.phase.p2p.host.Connection;
import io.phase.p2p.host.Host;
import io.phase.p2p.host.Stream;
import io.phase.p2p.mss.MultistreamException;
import io.phase.p2p.multiaddr.Multiaddr;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PingTest {
  private static final Multiaddr LOOPBACK = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");
  private final List<Host> hosts = new ArrayList<>();

  @AfterEach
  void closeHosts() {
    hosts.forEach(h -> h.close(Duration.ofSeconds(2)));
  }

  private Host host() throws Exception {
    Host h = Host.builder().eventLoopThreads(2).listen(LOOPBACK).build();
    hosts.add(h);
    return h;
  }

  private static Connection connect(Host from, Host to) throws Exception {
    return from.dial(to.listenAddresses().get(0).withP2p(to.peerId())).get(10, TimeUnit.SECONDS);
  }

  /** Collects a stream's bytes until the peer's FIN (or fails if the stream closes first). */
  static final class Collector extends ChannelInboundHandlerAdapter {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final CompletableFuture<byte[]> done = new CompletableFuture<>();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf b = (ByteBuf) msg;
      byte[] a = new byte[b.readableBytes()];
      b.readBytes(a);
      b.release();
      bytes.writeBytes(a);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof ChannelInputShutdownEvent) {
        done.complete(bytes.toByteArray());
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      done.complete(bytes.toByteArray());
    }
  }

  @Test
  void pingsBothWays() throws Exception {
    Host a = host();
    Host b = host();
    Ping pa = Ping.attach(a);
    Ping pb = Ping.attach(b);
    Connection ab = connect(a, b);
    List<Duration> rtts = pa.ping(ab, 5).get(60, TimeUnit.SECONDS);
    assertEquals(5, rtts.size());
    rtts.forEach(rtt -> assertTrue(!rtt.isNegative() && !rtt.isZero(), rtt.toString()));

    Connection ba = b.connections(a.peerId()).get(0);
    assertEquals(1, pb.ping(ba, 1).get(60, TimeUnit.SECONDS).size());
  }

  @Test
  void countIsBounded() throws Exception {
    Host a = host();
    Host b = host();
    Ping pa = Ping.attach(a);
    Connection ab = connect(a, b);
    assertThrows(ExecutionException.class, () -> pa.ping(ab, 0).get());
    assertThrows(ExecutionException.class, () -> pa.ping(ab, 1001).get());
  }

  @Test
  void unsupportedPeerFails() throws Exception {
    Host a = host();
    Host b = host();
    Ping pa = Ping.attach(a);
    Connection ab = connect(a, b);
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> pa.ping(ab, 1).get(30, TimeUnit.SECONDS));
    assertInstanceOf(MultistreamException.class, e.getCause());
  }

  @Test
  void wrongEchoFails() throws Exception {
    Host a = host();
    Host b = host();
    b.setStreamHandler(
        Ping.PROTOCOL,
        s ->
            s.channel()
                .pipeline()
                .addLast(
                    new ChannelInboundHandlerAdapter() {
                      @Override
                      public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ByteBuf in = (ByteBuf) msg;
                        in.setByte(0, in.getByte(0) ^ 1);
                        ctx.writeAndFlush(in);
                      }
                    }));
    Ping pa = Ping.attach(a);
    Connection ab = connect(a, b);
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> pa.ping(ab, 3).get(30, TimeUnit.SECONDS));
    assertInstanceOf(IOException.class, e.getCause());
    assertTrue(e.getCause().getMessage().contains("echo differs"), e.getCause().getMessage());
  }

  @Test
  void silentPeerTimesOut() throws Exception {
    Host a = host();
    Host b = host();
    b.setStreamHandler(Ping.PROTOCOL, s -> {});
    Ping pa = Ping.attach(a, Duration.ofMillis(300));
    Connection ab = connect(a, b);
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> pa.ping(ab, 1).get(30, TimeUnit.SECONDS));
    assertInstanceOf(TimeoutException.class, e.getCause());
  }

  private static byte[] exchange(Connection c, byte[] sent) throws Exception {
    Collector collector = new Collector();
    Stream s =
        c.newStream(st -> st.channel().pipeline().addLast(collector), Ping.PROTOCOL)
            .get(10, TimeUnit.SECONDS);
    for (int off = 0; off < sent.length; off += 4096) {
      s.channel().write(Unpooled.wrappedBuffer(sent, off, Math.min(4096, sent.length - off)));
    }
    s.channel().flush();
    s.closeWrite();
    return collector.done.get(60, TimeUnit.SECONDS);
  }

  @Test
  void responderEchoesWholePingsUntilFin() throws Exception {
    Host a = host();
    Host b = host();
    Ping.attach(b);
    Connection ab = connect(a, b);
    byte[] sent = new byte[3 * Ping.PAYLOAD_BYTES + 7];
    new Random(1).nextBytes(sent);
    assertArrayEquals(Arrays.copyOf(sent, 3 * Ping.PAYLOAD_BYTES), exchange(ab, sent));
  }

  @Test
  void responderStopsAfterTheStreamCap() throws Exception {
    Host a = host();
    Host b = host();
    Ping.attach(b);
    Connection ab = connect(a, b);
    byte[] sent = new byte[(Ping.MAX_PINGS_PER_STREAM + 5) * Ping.PAYLOAD_BYTES];
    new Random(2).nextBytes(sent);
    byte[] echoed = exchange(ab, sent);
    assertArrayEquals(Arrays.copyOf(sent, Ping.MAX_PINGS_PER_STREAM * Ping.PAYLOAD_BYTES), echoed);
  }
}
