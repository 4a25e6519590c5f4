package io.phase.p2p.identify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.phase.p2p.crypto.Ed25519PrivateKey;
import io.phase.p2p.host.Connection;
import io.phase.p2p.host.ConnectionListener;
import io.phase.p2p.host.Host;
import io.phase.p2p.host.Stream;
import io.phase.p2p.identify.pb.IdentifyProto;
import io.phase.p2p.multiaddr.Multiaddr;
import io.phase.p2p.multiformats.Varint;
import io.phase.p2p.peer.PeerId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class IdentifyTest {
  private static final Multiaddr LOOPBACK = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");
  private static final Duration WAIT = Duration.ofSeconds(30);
  private final List<Host> hosts = new ArrayList<>();

  @AfterEach
  void closeHosts() {
    hosts.forEach(h -> h.close(Duration.ofSeconds(2)));
  }

  private Host host(String agent) throws Exception {
    Host h = Host.builder().agentVersion(agent).eventLoopThreads(2).listen(LOOPBACK).build();
    hosts.add(h);
    return h;
  }

  private static Multiaddr addressOf(Host h) {
    return h.listenAddresses().get(0).withP2p(h.peerId());
  }

  private static <T> T eventually(Supplier<Optional<T>> probe, String what) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<T> value = probe.get();
      if (value.isPresent()) {
        return value.get();
      }
      Thread.sleep(20);
    }
    throw new AssertionError("not within " + WAIT + ": " + what);
  }

  private static CompletableFuture<Connection> inbound(Host h) {
    CompletableFuture<Connection> opened = new CompletableFuture<>();
    h.addConnectionListener(
        new ConnectionListener() {
          @Override
          public void connectionOpened(Connection connection) {
            opened.complete(connection);
          }
        });
    return opened;
  }

  @Test
  void bothSidesIdentifyEachOtherOnConnect() throws Exception {
    Host a = host("agent-a/1");
    Host b = host("agent-b/2");
    Identify ia = Identify.attach(a);
    Identify ib = Identify.attach(b);
    b.setStreamHandler("/custom/1.0.0", s -> s.channel().close());
    CompletableFuture<Connection> atB = inbound(b);

    Connection ab = a.dial(addressOf(b)).get(10, TimeUnit.SECONDS);
    Connection ba = atB.get(10, TimeUnit.SECONDS);

    IdentifyResult seenByA = eventually(() -> ia.peerStore().get(b.peerId()), "a identifies b");
    assertEquals(b.peerId(), seenByA.peer());
    assertEquals("agent-b/2", seenByA.agentVersion());
    assertEquals(Identify.PROTOCOL_VERSION, seenByA.protocolVersion());
    assertEquals(b.peerId().publicKey().orElseThrow(), seenByA.publicKey());
    assertTrue(seenByA.supports(Identify.PROTOCOL), seenByA.protocols().toString());
    assertTrue(seenByA.supports(Identify.PUSH_PROTOCOL), seenByA.protocols().toString());
    assertTrue(seenByA.supports("/custom/1.0.0"), seenByA.protocols().toString());
    assertEquals(b.listenAddresses(), seenByA.listenAddresses());
    assertEquals(Optional.of(ab.localAddress()), seenByA.observedAddress());

    IdentifyResult seenByB = eventually(() -> ib.peerStore().get(a.peerId()), "b identifies a");
    assertEquals("agent-a/1", seenByB.agentVersion());
    assertEquals(a.listenAddresses(), seenByB.listenAddresses());
    assertEquals(Optional.of(ba.localAddress()), seenByB.observedAddress());

    IdentifyResult explicit = ia.identify(ab).get(10, TimeUnit.SECONDS);
    assertEquals("agent-b/2", explicit.agentVersion());
    assertEquals(explicit, ia.peerStore().get(b.peerId()).orElseThrow());
  }

  @Test
  void protocolChangesArePushed() throws Exception {
    Host a = host("a");
    Host b = host("b");
    Identify ia = Identify.attach(a);
    Identify.attach(b);
    a.dial(addressOf(b)).get(10, TimeUnit.SECONDS);
    eventually(() -> ia.peerStore().get(b.peerId()), "a identifies b");

    b.setStreamHandler("/added/1.0.0", s -> s.channel().close());
    eventually(
        () -> ia.peerStore().get(b.peerId()).filter(r -> r.supports("/added/1.0.0")),
        "a learns b's new protocol by push");
    b.removeStreamHandler("/added/1.0.0");
    IdentifyResult after =
        eventually(
            () -> ia.peerStore().get(b.peerId()).filter(r -> !r.supports("/added/1.0.0")),
            "a learns b dropped the protocol");
    assertEquals("b", after.agentVersion(), "push keeps what it does not carry");
  }

  @Test
  void detachStopsServing() throws Exception {
    Host a = host("a");
    Host b = host("b");
    Identify ia = Identify.attach(a);
    Identify ib = Identify.attach(b);
    ib.close();
    assertTrue(!b.protocols().contains(Identify.PROTOCOL));
    Connection ab = a.dial(addressOf(b)).get(10, TimeUnit.SECONDS);
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> ia.identify(ab).get(10, TimeUnit.SECONDS));
    assertTrue(e.getCause().getMessage().contains(Identify.PROTOCOL), e.getCause().toString());
    assertThrows(ExecutionException.class, () -> ib.identify(ab).get(1, TimeUnit.SECONDS));
  }

  // ---- hostile responders ----

  private static ByteBuf framed(byte[] body) {
    return Unpooled.wrappedBuffer(Varint.encode(body.length), body);
  }

  private IdentifyException identifyFails(Host evil, ByteBuf... frames) throws Exception {
    evil.setStreamHandler(
        Identify.PROTOCOL,
        s -> {
          for (ByteBuf f : frames) {
            s.channel().write(f.retainedDuplicate());
          }
          s.channel().flush();
          s.closeWrite();
        });
    Host good = host("good");
    Identify identify = Identify.attach(good, new PeerStore(), Duration.ofSeconds(5));
    Connection c = good.dial(addressOf(evil)).get(10, TimeUnit.SECONDS);
    ExecutionException e =
        assertThrows(
            ExecutionException.class, () -> identify.identify(c).get(30, TimeUnit.SECONDS));
    assertTrue(identify.peerStore().get(evil.peerId()).isEmpty());
    return assertInstanceOf(IdentifyException.class, e.getCause());
  }

  private static IdentifyProto.Identify validFor(Host h) {
    return IdentifyProto.Identify.newBuilder()
        .setAgentVersion("evil")
        .setPublicKey(ByteString.copyFrom(h.peerId().publicKey().orElseThrow().marshal()))
        .build();
  }

  @Test
  void oversizedMessageIsRejected() throws Exception {
    Host evil = host("evil");
    byte[] big = new byte[IdentifyReader.MAX_MESSAGE_BYTES + 1];
    IdentifyException e = identifyFails(evil, framed(big));
    assertTrue(e.getMessage().contains("8193 bytes"), e.getMessage());
  }

  @Test
  void wrongKeyIsRejected() throws Exception {
    Host evil = host("evil");
    IdentifyProto.Identify m =
        validFor(evil).toBuilder()
            .setPublicKey(ByteString.copyFrom(Ed25519PrivateKey.generate().publicKey().marshal()))
            .build();
    IdentifyException e = identifyFails(evil, framed(m.toByteArray()));
    assertTrue(e.getMessage().contains("not of " + evil.peerId()), e.getMessage());
  }

  @Test
  void truncatedMessageIsRejected() throws Exception {
    Host evil = host("evil");
    byte[] body = validFor(evil).toByteArray();
    ByteBuf partial = Unpooled.wrappedBuffer(Varint.encode(body.length), new byte[body.length / 2]);
    IdentifyException e = identifyFails(evil, partial);
    assertTrue(e.getMessage().contains("inside a message"), e.getMessage());
  }

  @Test
  void emptyStreamIsRejected() throws Exception {
    Host evil = host("evil");
    IdentifyException e = identifyFails(evil);
    assertTrue(e.getMessage().contains("without a message"), e.getMessage());
  }

  @Test
  void garbageIsRejected() throws Exception {
    Host evil = host("evil");
    IdentifyException e = identifyFails(evil, framed(new byte[] {(byte) 0xff, (byte) 0xff}));
    assertTrue(e.getMessage().contains("malformed"), e.getMessage());
  }

  @Test
  void tooManyMessagesAreRejected() throws Exception {
    Host evil = host("evil");
    ByteBuf[] frames = new ByteBuf[IdentifyReader.MAX_MESSAGES + 1];
    for (int i = 0; i < frames.length; i++) {
      frames[i] = framed(validFor(evil).toByteArray());
    }
    IdentifyException e = identifyFails(evil, frames);
    assertTrue(e.getMessage().contains("more than 10"), e.getMessage());
  }

  @Test
  void silentResponderTimesOut() throws Exception {
    Host evil = host("evil");
    evil.setStreamHandler(Identify.PROTOCOL, s -> {});
    Host good = host("good");
    Identify identify = Identify.attach(good, new PeerStore(), Duration.ofMillis(500));
    Connection c = good.dial(addressOf(evil)).get(10, TimeUnit.SECONDS);
    ExecutionException e =
        assertThrows(
            ExecutionException.class, () -> identify.identify(c).get(30, TimeUnit.SECONDS));
    assertTrue(e.getCause().getMessage().contains("no complete identify"), e.toString());
  }

  @Test
  void severalMessagesAreMerged() throws Exception {
    Host evil = host("evil");
    IdentifyProto.Identify first = validFor(evil).toBuilder().addProtocols("/one/1").build();
    IdentifyProto.Identify second =
        IdentifyProto.Identify.newBuilder().setAgentVersion("later").addProtocols("/two/1").build();
    evil.setStreamHandler(
        Identify.PROTOCOL,
        s -> {
          s.channel().write(framed(first.toByteArray()));
          s.channel().writeAndFlush(framed(second.toByteArray()));
          s.closeWrite();
        });
    Host good = host("good");
    Identify identify = Identify.attach(good);
    Connection c = good.dial(addressOf(evil)).get(10, TimeUnit.SECONDS);
    IdentifyResult r = identify.identify(c).get(30, TimeUnit.SECONDS);
    assertEquals("later", r.agentVersion());
    assertTrue(r.supports("/one/1") && r.supports("/two/1"), r.protocols().toString());
    PeerId stored = identify.peerStore().get(evil.peerId()).orElseThrow().peer();
    assertEquals(evil.peerId(), stored);
  }

  // ---- hostile pushers ----

  /** Opens a push stream from {@code from} and sends {@code frames}; returns the stream. */
  private static Stream pushRaw(Connection from, ByteBuf... frames) throws Exception {
    Stream s = from.newStream(Identify.PUSH_PROTOCOL).get(10, TimeUnit.SECONDS);
    for (ByteBuf f : frames) {
      s.channel().write(f);
    }
    s.channel().flush();
    if (frames.length > 0) {
      s.closeWrite();
    }
    return s;
  }

  @Test
  void pushWithAnotherKeyIsIgnoredAndAValidOneStored() throws Exception {
    Host good = host("good");
    Identify identify = Identify.attach(good);
    Host evil = host("evil");
    Connection c = evil.dial(addressOf(good)).get(10, TimeUnit.SECONDS);

    IdentifyProto.Identify forged =
        validFor(evil).toBuilder()
            .setPublicKey(ByteString.copyFrom(Ed25519PrivateKey.generate().publicKey().marshal()))
            .addProtocols("/forged/1")
            .build();
    Stream first = pushRaw(c, framed(forged.toByteArray()));
    assertTrue(first.channel().closeFuture().await(30, TimeUnit.SECONDS));
    assertTrue(identify.peerStore().get(evil.peerId()).isEmpty(), "forged push not stored");

    Stream second =
        pushRaw(
            c, framed(validFor(evil).toBuilder().addProtocols("/real/1").build().toByteArray()));
    assertTrue(second.channel().closeFuture().await(30, TimeUnit.SECONDS));
    IdentifyResult stored = identify.peerStore().get(evil.peerId()).orElseThrow();
    assertEquals("evil", stored.agentVersion());
    assertEquals(java.util.Set.of("/real/1"), stored.protocols());
  }

  @Test
  void concurrentPushStreamsAreBounded() throws Exception {
    Host good = host("good");
    Identify.attach(good, new PeerStore(), Duration.ofSeconds(60));
    Host evil = host("evil");
    Connection c = evil.dial(addressOf(good)).get(10, TimeUnit.SECONDS);
    List<Stream> open = new ArrayList<>();
    for (int i = 0; i < Identify.MAX_INBOUND_PUSHES; i++) {
      open.add(pushRaw(c));
    }
    Stream refused = pushRaw(c);
    assertTrue(refused.channel().closeFuture().await(30, TimeUnit.SECONDS));
    assertTrue(refused.isResetByPeer());
    for (Stream s : open) {
      assertTrue(s.channel().isOpen(), "pushes within the bound stay open");
    }
  }
}
