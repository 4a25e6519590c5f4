package io.phase.p2p.kad;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.phase.p2p.host.Host;
import io.phase.p2p.host.HostLimits;
import io.phase.p2p.host.Stream;
import io.phase.p2p.kad.routing.PeerInfo;
import io.phase.p2p.kad.store.NamespacedValidator;
import io.phase.p2p.kad.store.VersionValidator;
import io.phase.p2p.kad.wire.KadFrameDecoder;
import io.phase.p2p.kad.wire.KadMessage;
import io.phase.p2p.kad.wire.MessageCodec;
import io.phase.p2p.multiaddr.Multiaddr;
import io.phase.p2p.multiformats.Varint;
import io.phase.p2p.peer.PeerId;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Java ↔ Java Kademlia over real TCP + Noise + Yamux hosts on loopback. */
class KadProtocolTest {

  private static final Multiaddr LOOPBACK = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");
  private static final long WAIT_S = 20;

  private final List<Host> hosts = new ArrayList<>();
  private final Map<PeerId, List<Multiaddr>> addressBook = new ConcurrentHashMap<>();
  private final KadConfig config =
      KadConfig.builder()
          .queryTimeout(Duration.ofSeconds(5))
          .livenessTimeout(Duration.ofSeconds(5))
          .lookupDeadline(Duration.ofSeconds(15))
          .build();

  private record Peer(Host host, KadProtocol protocol, KadNode node) {
    PeerInfo info() {
      return node.localInfo();
    }
  }

  @AfterEach
  void closeHosts() {
    hosts.forEach(h -> h.close(Duration.ofSeconds(2)));
  }

  private Host host() throws Exception {
    Host h = Host.builder().limits(HostLimits.DEFAULT).eventLoopThreads(1).listen(LOOPBACK).build();
    hosts.add(h);
    addressBook.put(h.peerId(), h.listenAddresses());
    return h;
  }

  private Peer peer() throws Exception {
    Host h = host();
    KadProtocol protocol =
        new KadProtocol(h, Duration.ofSeconds(5), p -> addressBook.getOrDefault(p, List.of()));
    KadNode node =
        new KadNode(
            h.peerId(),
            h::listenAddresses,
            protocol,
            config,
            new NamespacedValidator(Map.of("v", new VersionValidator())),
            Clock.systemUTC());
    protocol.serve(node);
    return new Peer(h, protocol, node);
  }

  @Test
  void bootstrapProvideFindAndValuesOverTcp() throws Exception {
    Peer boot = peer();
    List<Peer> others = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Peer p = peer();
      LookupResult r = p.node().bootstrap(List.of(boot.info())).get(WAIT_S, TimeUnit.SECONDS);
      assertTrue(r.closest().contains(boot.info()), "bootstrap peer answered");
      others.add(p);
    }
    for (Peer p : others) {
      p.node().bootstrap(List.of()).get(WAIT_S, TimeUnit.SECONDS);
      assertTrue(p.node().routingTable().size() >= 2, "table " + p.node().routingTable().size());
    }
    // The boot node learnt the others by probing them after their requests.
    assertEquals(4, boot.node().routingTable().size());

    byte[] key = "/phase/capability/x86_64/chicory".getBytes(StandardCharsets.UTF_8);
    Peer provider = others.get(0);
    assertTrue(provider.node().provide(key).get(WAIT_S, TimeUnit.SECONDS) >= 4);
    // Every node gets the one-way ADD_PROVIDER (fewer than k nodes); a newcomer must look it up.
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
    while (others.get(3).node().providerStore().size() == 0 && System.nanoTime() < until) {
      Thread.sleep(10);
    }
    assertEquals(List.of(provider.info()), others.get(3).node().providerStore().providers(key, 5));
    Peer newcomer = peer();
    newcomer.node().bootstrap(List.of(boot.info())).get(WAIT_S, TimeUnit.SECONDS);
    KadNode.ProvidersResult found =
        newcomer.node().findProviders(key, 1).get(WAIT_S, TimeUnit.SECONDS);
    assertEquals(List.of(provider.info()), found.providers());
    assertEquals(LookupResult.Termination.SATISFIED, found.lookup().termination());
    assertEquals(1, found.lookup().hops());

    byte[] vkey = "/v/answer".getBytes(StandardCharsets.UTF_8);
    assertTrue(
        others
                .get(1)
                .node()
                .putValue(vkey, "42".getBytes(StandardCharsets.UTF_8))
                .get(WAIT_S, TimeUnit.SECONDS)
            >= 4);
    KadNode.ValueResult v = others.get(2).node().getValue(vkey, 2).get(WAIT_S, TimeUnit.SECONDS);
    assertArrayEquals(
        "42".getBytes(StandardCharsets.UTF_8), v.record().orElseThrow().value().toByteArray());

    // The ping/echo path and the request/response pairing work on a fresh stream each time.
    for (int i = 0; i < 5; i++) {
      KadMessage pong =
          others
              .get(0)
              .protocol()
              .request(boot.info(), KadMessage.ping(), Duration.ofSeconds(5))
              .get(WAIT_S, TimeUnit.SECONDS);
      assertEquals(KadMessage.Type.PING, pong.type());
    }
  }

  @Test
  void oversizedOrMalformedRequestsResetTheStream() throws Exception {
    Peer server = peer();
    Host client = host();
    var conn =
        client
            .dial(server.host().listenAddresses().get(0).withP2p(server.host().peerId()))
            .get(WAIT_S, TimeUnit.SECONDS);

    Stream big = conn.newStream(KadProtocol.PROTOCOL_ID).get(WAIT_S, TimeUnit.SECONDS);
    big.channel()
        .writeAndFlush(Unpooled.wrappedBuffer(Varint.encode(MessageCodec.MAX_MESSAGE_BYTES + 1)));
    assertTrue(big.channel().closeFuture().await(WAIT_S, TimeUnit.SECONDS));
    assertTrue(big.isResetByPeer());

    Stream garbage = conn.newStream(KadProtocol.PROTOCOL_ID).get(WAIT_S, TimeUnit.SECONDS);
    garbage
        .channel()
        .writeAndFlush(
            Unpooled.wrappedBuffer(new byte[] {3, (byte) 0xff, (byte) 0xff, (byte) 0xff}));
    assertTrue(garbage.channel().closeFuture().await(WAIT_S, TimeUnit.SECONDS));
    assertTrue(garbage.isResetByPeer());

    // A stream that never sends a request is reset after the inbound timeout (5 s here).
    Stream idle = conn.newStream(KadProtocol.PROTOCOL_ID).get(WAIT_S, TimeUnit.SECONDS);
    assertTrue(idle.channel().closeFuture().await(WAIT_S, TimeUnit.SECONDS));
    assertTrue(idle.isResetByPeer());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
    while (server.node().inboundPermits().availablePermits() < config.maxConcurrentInbound()
        && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(config.maxConcurrentInbound(), server.node().inboundPermits().availablePermits());
  }

  @Test
  void requestToSilentPeerTimesOut() throws Exception {
    Peer client = peer();
    Host silent = host();
    silent.setStreamHandler(KadProtocol.PROTOCOL_ID, s -> {}); // reads nothing, answers nothing
    PeerInfo target = new PeerInfo(silent.peerId(), silent.listenAddresses());
    long start = System.nanoTime();
    ExecutionException e =
        assertThrows(
            ExecutionException.class,
            () ->
                client
                    .protocol()
                    .request(target, KadMessage.ping(), Duration.ofMillis(500))
                    .get(WAIT_S, TimeUnit.SECONDS));
    assertInstanceOf(TimeoutException.class, e.getCause());
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10));

    PeerInfo nowhere =
        new PeerInfo(TestPeers.peer(5), List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/1")));
    assertThrows(
        ExecutionException.class,
        () ->
            client
                .protocol()
                .request(nowhere, KadMessage.ping(), Duration.ofSeconds(5))
                .get(WAIT_S, TimeUnit.SECONDS));
    assertThrows(
        ExecutionException.class,
        () ->
            client
                .protocol()
                .request(PeerInfo.of(TestPeers.peer(6)), KadMessage.ping(), Duration.ofSeconds(5))
                .get(WAIT_S, TimeUnit.SECONDS));
  }

  @Test
  void frameDecoderSplitsAndBoundsFrames() {
    EmbeddedChannel ch = new EmbeddedChannel(new KadFrameDecoder(100));
    byte[] a = MessageCodec.encodeFramed(KadMessage.ping());
    byte[] b = MessageCodec.encodeFramed(KadMessage.findNode(new byte[] {1, 2, 3}));
    byte[] both = new byte[a.length + b.length];
    System.arraycopy(a, 0, both, 0, a.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    ch.writeInbound(Unpooled.wrappedBuffer(both, 0, 1));
    ch.writeInbound(Unpooled.wrappedBuffer(both, 1, both.length - 1));
    assertArrayEquals(MessageCodec.encode(KadMessage.ping()), (byte[]) ch.readInbound());
    assertArrayEquals(
        MessageCodec.encode(KadMessage.findNode(new byte[] {1, 2, 3})), (byte[]) ch.readInbound());

    EmbeddedChannel tooLong = new EmbeddedChannel(new KadFrameDecoder(100));
    DecoderException e1 =
        assertThrows(
            DecoderException.class,
            () -> tooLong.writeInbound(Unpooled.wrappedBuffer(Varint.encode(101))));
    assertInstanceOf(TooLongFrameException.class, e1);
    EmbeddedChannel nonMinimal = new EmbeddedChannel(new KadFrameDecoder(100));
    DecoderException e2 =
        assertThrows(
            DecoderException.class,
            () -> nonMinimal.writeInbound(Unpooled.wrappedBuffer(new byte[] {(byte) 0x81, 0})));
    assertInstanceOf(CorruptedFrameException.class, e2);
    EmbeddedChannel overlong = new EmbeddedChannel(new KadFrameDecoder(100));
    assertThrows(
        DecoderException.class,
        () ->
            overlong.writeInbound(
                Unpooled.wrappedBuffer(
                    new byte[] {
                      (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 1
                    })));
  }
}
