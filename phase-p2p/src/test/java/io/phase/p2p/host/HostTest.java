package io.phase.p2p.host;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.phase.p2p.crypto.Ed25519PrivateKey;
import io.phase.p2p.multiaddr.Multiaddr;
import io.phase.p2p.peer.PeerId;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HostTest {
  private static final String ECHO = "/test/echo/1.0.0";
  private static final Multiaddr LOOPBACK = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");
  private final List<Host> hosts = new ArrayList<>();

  @AfterEach
  void closeHosts() {
    hosts.forEach(h -> h.close(Duration.ofSeconds(2)));
  }

  private Host host(HostLimits limits) throws Exception {
    Host h = Host.builder().limits(limits).eventLoopThreads(2).listen(LOOPBACK).build();
    h.setStreamHandler(ECHO, s -> s.channel().pipeline().addLast(new Echo()));
    hosts.add(h);
    return h;
  }

  private static Multiaddr addressOf(Host h) {
    return h.listenAddresses().get(0).withP2p(h.peerId());
  }

  static final class Echo extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ctx.write(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      ctx.flush();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof ChannelInputShutdownReadComplete) {
        Stream.of(ctx.channel()).closeWrite();
      }
    }
  }

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
      done.completeExceptionally(new IllegalStateException("stream closed before EOF"));
    }
  }

  private static byte[] echo(Connection c, byte[] data) throws Exception {
    Collector collector = new Collector();
    Stream s =
        c.newStream(st -> st.channel().pipeline().addLast(collector), ECHO)
            .get(10, TimeUnit.SECONDS);
    assertEquals(ECHO, s.protocol());
    for (int off = 0; off < data.length; off += 65536) {
      s.channel().write(Unpooled.wrappedBuffer(data, off, Math.min(65536, data.length - off)));
    }
    s.channel().flush();
    s.closeWrite();
    return collector.done.get(60, TimeUnit.SECONDS);
  }

  @Test
  void dialAndEchoTenMegabytesBothWays() throws Exception {
    Host a = host(HostLimits.DEFAULT);
    Host b = host(HostLimits.DEFAULT);
    CompletableFuture<Connection> openedAtB = new CompletableFuture<>();
    b.addConnectionListener(
        new ConnectionListener() {
          @Override
          public void connectionOpened(Connection connection) {
            openedAtB.complete(connection);
          }
        });
    Connection ab = a.dial(addressOf(b)).get(10, TimeUnit.SECONDS);
    assertEquals(b.peerId(), ab.remotePeer());
    assertEquals(Direction.OUTBOUND, ab.direction());
    Connection ba = openedAtB.get(5, TimeUnit.SECONDS);
    assertEquals(a.peerId(), ba.remotePeer());
    assertEquals(Direction.INBOUND, ba.direction());

    byte[] data = new byte[10 * 1024 * 1024];
    new Random(7).nextBytes(data);
    assertArrayEquals(data, echo(ab, data));
    assertArrayEquals(data, echo(ba, data));
    assertSame(ab, a.dial(addressOf(b)).get(5, TimeUnit.SECONDS), "connection is reused");
    assertEquals(1, a.connections(b.peerId()).size());

    // Each side counted at least the 20 MiB of payload it received and sent, plus framing.
    HostStats.Snapshot sa = a.stats();
    HostStats.Snapshot sb = b.stats();
    assertTrue(sa.bytesOut() >= 2L * data.length, sa.toString());
    assertTrue(sa.bytesIn() >= 2L * data.length, sa.toString());
    assertTrue(sb.bytesIn() >= 2L * data.length, sb.toString());
    assertEquals(1, sa.outboundConnections());
    assertEquals(0, sa.inboundConnections());
    assertEquals(1, sb.inboundConnections());
    assertEquals(0, sa.pendingHandshakes());
    assertTrue(sa.refusedByReason().isEmpty(), sa.toString());
  }

  @Test
  void hundredConcurrentStreams() throws Exception {
    Host a = host(HostLimits.DEFAULT);
    Host b = host(HostLimits.DEFAULT);
    Connection c = a.dial(addressOf(b)).get(10, TimeUnit.SECONDS);
    List<CompletableFuture<byte[]>> results = new ArrayList<>();
    List<byte[]> sent = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      byte[] payload = new byte[10_000 + i];
      new Random(i).nextBytes(payload);
      sent.add(payload);
      Collector collector = new Collector();
      results.add(collector.done);
      c.newStream(st -> st.channel().pipeline().addLast(collector), ECHO)
          .thenAccept(
              s -> {
                s.channel().writeAndFlush(Unpooled.wrappedBuffer(payload));
                s.closeWrite();
              });
    }
    for (int i = 0; i < 100; i++) {
      assertArrayEquals(sent.get(i), results.get(i).get(30, TimeUnit.SECONDS));
    }
  }

  @Test
  void wrongExpectedPeerIdIsRefused() throws Exception {
    Host a = host(HostLimits.DEFAULT);
    Host b = host(HostLimits.DEFAULT);
    PeerId impostor = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
    Multiaddr wrong = b.listenAddresses().get(0).withP2p(impostor);
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> a.dial(wrong).get(10, TimeUnit.SECONDS));
    assertTrue(e.getCause().getMessage().contains("peer id mismatch"), e.getCause().getMessage());
    assertTrue(a.connections().isEmpty());
  }

  @Test
  void dialWithoutPeerIdIsRejected() throws Exception {
    Host a = host(HostLimits.DEFAULT);
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> a.dial(LOOPBACK).get(1, TimeUnit.SECONDS));
    assertTrue(e.getCause() instanceof IllegalArgumentException);
  }

  @Test
  void unsupportedProtocolFailsTheStream() throws Exception {
    Host a = host(HostLimits.DEFAULT);
    Host b = host(HostLimits.DEFAULT);
    Connection c = a.dial(addressOf(b)).get(10, TimeUnit.SECONDS);
    ExecutionException e =
        assertThrows(
            ExecutionException.class,
            () -> c.newStream("/nope/1.0.0", "/nope/2.0.0").get(10, TimeUnit.SECONDS));
    assertTrue(e.getCause().getMessage().contains("supports none"), e.getCause().getMessage());
    // The connection survives and serves other protocols.
    assertArrayEquals(new byte[] {1, 2}, echo(c, new byte[] {1, 2}));
  }

  @Test
  void streamLimitRefusesExtraStreams() throws Exception {
    Host a = host(HostLimits.DEFAULT);
    Host b = host(HostLimits.DEFAULT.withMaxStreamsPerConnection(2));
    b.setStreamHandler("/hold/1.0.0", s -> {});
    Connection c = a.dial(addressOf(b)).get(10, TimeUnit.SECONDS);
    c.newStream("/hold/1.0.0").get(10, TimeUnit.SECONDS);
    c.newStream("/hold/1.0.0").get(10, TimeUnit.SECONDS);
    assertThrows(
        ExecutionException.class, () -> c.newStream("/hold/1.0.0").get(10, TimeUnit.SECONDS));
    assertTrue(c.isOpen());
  }

  @Test
  void connectionLimitRefusesExtraConnections() throws Exception {
    Host server = host(HostLimits.DEFAULT.withMaxConnections(1));
    Host first = host(HostLimits.DEFAULT);
    Host second = host(HostLimits.DEFAULT);
    first.dial(addressOf(server)).get(10, TimeUnit.SECONDS);
    assertThrows(
        ExecutionException.class, () -> second.dial(addressOf(server)).get(10, TimeUnit.SECONDS));
    assertEquals(1, server.connections().size());
  }

  @Test
  void overThePerPeerCapAnIdleConnectionMakesRoomForTheNewOne() throws Exception {
    Host server = host(HostLimits.DEFAULT);
    Ed25519PrivateKey key = Ed25519PrivateKey.generate();
    int cap = HostLimits.DEFAULT.maxConnectionsPerPeer();
    List<Host> clients = new ArrayList<>();
    for (int i = 0; i < cap + 2; i++) {
      Host h = Host.builder().identity(key).eventLoopThreads(1).listen(LOOPBACK).build();
      hosts.add(h);
      clients.add(h);
    }
    for (Host h : clients) {
      Connection c = h.dial(addressOf(server)).get(10, TimeUnit.SECONDS);
      assertArrayEquals(new byte[] {7}, echo(c, new byte[] {7}));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (server.connections().size() > cap && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(cap, server.connections().size());
  }

  @Test
  void overThePerPeerCapAFreshConnectionIsNotEvictedButOneIdleLongEnoughIs() throws Exception {
    // 3 s rather than the default 10 s, to keep the test short; still far longer than opening the
    // connections below takes
    Duration minIdle = Duration.ofSeconds(3);
    Host server =
        Host.builder().freshConnectionWindow(minIdle).eventLoopThreads(2).listen(LOOPBACK).build();
    server.setStreamHandler(ECHO, s -> s.channel().pipeline().addLast(new Echo()));
    hosts.add(server);
    Ed25519PrivateKey key = Ed25519PrivateKey.generate();
    int cap = HostLimits.DEFAULT.maxConnectionsPerPeer();
    List<Connection> fresh = new ArrayList<>();
    for (int i = 0; i < cap + 2; i++) {
      hosts.add(Host.builder().identity(key).eventLoopThreads(1).listen(LOOPBACK).build());
    }
    // cap connections of one key, just opened, none has carried a stream yet
    long start = System.nanoTime();
    for (int i = 0; i < cap; i++) {
      fresh.add(hosts.get(hosts.size() - cap - 2 + i).dial(addressOf(server)).get(10, SECONDS));
    }
    Host late = hosts.get(hosts.size() - 2);
    assertFalse(admitted(late, server), "no fresh connection should have made room");
    assertTrue(System.nanoTime() - start < minIdle.toNanos(), "too slow to tell");
    for (Connection c : fresh) {
      assertTrue(c.isOpen(), "a fresh connection was evicted: " + c);
    }
    assertEquals(cap, server.connections().size());
    Thread.sleep(minIdle.toMillis() + 200);
    Host later = hosts.get(hosts.size() - 1);
    assertTrue(admitted(later, server), "a connection idle long enough should make room");
    long deadline = System.nanoTime() + SECONDS.toNanos(10);
    while (fresh.stream().allMatch(Connection::isOpen) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(1, fresh.stream().filter(c -> !c.isOpen()).count(), "one idle one evicted");
  }

  /**
   * Dials {@code server} from {@code client}; true if the connection was admitted (it carries an
   * echo), false if the server refused it (dial failed or the connection closed at once).
   */
  private static boolean admitted(Host client, Host server) throws Exception {
    Connection c;
    try {
      c = client.dial(addressOf(server)).get(10, SECONDS);
    } catch (ExecutionException e) {
      return false;
    }
    try {
      return Arrays.equals(new byte[] {3}, echo(c, new byte[] {3}));
    } catch (Exception e) {
      return false;
    }
  }

  @Test
  void silentPeerHitsTheHandshakeTimeout() throws Exception {
    Host h = host(HostLimits.DEFAULT.withHandshakeTimeout(Duration.ofMillis(500)));
    var sa = h.listenAddresses().get(0).toSocketAddress();
    try (Socket s = new Socket(sa.getAddress(), sa.getPort())) {
      s.setSoTimeout(5000);
      InputStream in = s.getInputStream();
      // The host speaks first (multistream header), then gives up on us.
      long start = System.nanoTime();
      while (in.read() != -1) {
        // drain
      }
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertTrue(ms >= 300 && ms < 4000, "closed after " + ms + " ms");
    }
    assertTrue(h.connections().isEmpty());
  }

  @Test
  void garbageInputClosesTheConnection() throws Exception {
    Host h = host(HostLimits.DEFAULT);
    var sa = h.listenAddresses().get(0).toSocketAddress();
    try (Socket s = new Socket(sa.getAddress(), sa.getPort())) {
      s.setSoTimeout(5000);
      s.getOutputStream().write("\u0005GET / HTTP/1.1\r\n\r\n".getBytes());
      s.getOutputStream().flush();
      InputStream in = s.getInputStream();
      while (in.read() != -1) {
        // drain until the host closes
      }
    }
    assertTrue(h.connections().isEmpty());
  }

  @Test
  void closeNotifiesListenersAndPeers() throws Exception {
    Host a = host(HostLimits.DEFAULT);
    Host b = host(HostLimits.DEFAULT);
    CompletableFuture<Connection> closedAtA = new CompletableFuture<>();
    a.addConnectionListener(
        new ConnectionListener() {
          @Override
          public void connectionClosed(Connection connection) {
            closedAtA.complete(connection);
          }
        });
    Connection c = a.dial(addressOf(b)).get(10, TimeUnit.SECONDS);
    b.close(Duration.ofSeconds(2));
    assertSame(c, closedAtA.get(5, TimeUnit.SECONDS));
    assertTrue(a.connections().isEmpty());
  }
}
