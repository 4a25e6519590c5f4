package io.phase.p2p.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.phase.p2p.crypto.Ed25519PrivateKey;
import io.phase.p2p.peer.PeerId;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class NoiseHandlerTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  static final class Outcome implements NoiseListener {
    PeerId remote;
    NoiseException failure;
    final ByteArrayOutputStream received = new ByteArrayOutputStream();

    @Override
    public void secured(ChannelHandlerContext ctx, PeerId remotePeer) {
      remote = remotePeer;
      ctx.pipeline()
          .addLast(
              new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext c, Object msg) {
                  ByteBuf b = (ByteBuf) msg;
                  byte[] bytes = new byte[b.readableBytes()];
                  b.readBytes(bytes);
                  b.release();
                  received.writeBytes(bytes);
                }
              });
    }

    @Override
    public void failed(ChannelHandlerContext ctx, NoiseException cause) {
      failure = cause;
    }
  }

  private static void pump(EmbeddedChannel a, EmbeddedChannel b) {
    boolean moved = true;
    while (moved) {
      moved = false;
      for (Object x; (x = a.readOutbound()) != null; moved = true) {
        if (b.isOpen()) {
          b.writeInbound(x);
        } else {
          ((ByteBuf) x).release();
        }
      }
      for (Object x; (x = b.readOutbound()) != null; moved = true) {
        if (a.isOpen()) {
          a.writeInbound(x);
        } else {
          ((ByteBuf) x).release();
        }
      }
    }
  }

  @Test
  void handshakeAuthenticatesBothSidesAndCarriesData() {
    Ed25519PrivateKey ik = Ed25519PrivateKey.generate();
    Ed25519PrivateKey rk = Ed25519PrivateKey.generate();
    PeerId ip = PeerId.fromPublicKey(ik.publicKey());
    PeerId rp = PeerId.fromPublicKey(rk.publicKey());
    Outcome io = new Outcome();
    Outcome ro = new Outcome();
    EmbeddedChannel i = new EmbeddedChannel(new NoiseHandshakeHandler(true, ik, rp, TIMEOUT, io));
    EmbeddedChannel r =
        new EmbeddedChannel(new NoiseHandshakeHandler(false, rk, null, TIMEOUT, ro));
    pump(i, r);
    assertEquals(rp, io.remote);
    assertEquals(ip, ro.remote);
    assertNull(i.pipeline().get(NoiseHandshakeHandler.class));
    assertNotNull(i.pipeline().get(NoiseHandshakeHandler.ENCODER_NAME));

    byte[] big = new byte[200_000];
    new Random(1).nextBytes(big);
    i.writeAndFlush(Unpooled.wrappedBuffer(big));
    // Every transport message respects the 65535-byte limit.
    for (Object x; (x = i.readOutbound()) != null; ) {
      ByteBuf frame = (ByteBuf) x;
      assertTrue(frame.readableBytes() <= 65537);
      assertEquals(frame.readableBytes() - 2, frame.getUnsignedShort(0));
      r.writeInbound(frame);
    }
    assertArrayEquals(big, ro.received.toByteArray());

    // Small writes are coalesced into one message on flush.
    r.write(Unpooled.wrappedBuffer(new byte[] {1}));
    r.write(Unpooled.wrappedBuffer(new byte[] {2, 3}));
    r.flush();
    ByteBuf one = r.readOutbound();
    assertNull(r.readOutbound());
    assertEquals(2 + 3 + 16, one.readableBytes());
    i.writeInbound(one);
    assertArrayEquals(new byte[] {1, 2, 3}, io.received.toByteArray());
  }

  @Test
  void sharedStaticKeyServesManyHandshakesWithFreshSessionKeys() {
    Ed25519PrivateKey rk = Ed25519PrivateKey.generate();
    PeerId rp = PeerId.fromPublicKey(rk.publicKey());
    NoiseStaticKey shared = NoiseStaticKey.generate(rk);
    List<byte[]> firstMessages = new ArrayList<>();
    for (int n = 0; n < 2; n++) {
      Ed25519PrivateKey ik = Ed25519PrivateKey.generate();
      Outcome io = new Outcome();
      Outcome ro = new Outcome();
      EmbeddedChannel i = new EmbeddedChannel(new NoiseHandshakeHandler(true, ik, rp, TIMEOUT, io));
      EmbeddedChannel r =
          new EmbeddedChannel(new NoiseHandshakeHandler(false, shared, null, TIMEOUT, ro));
      pump(i, r);
      assertEquals(rp, io.remote);
      assertEquals(PeerId.fromPublicKey(ik.publicKey()), ro.remote);
      r.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {7, 7, 7, 7}));
      ByteBuf message = r.readOutbound();
      byte[] bytes = new byte[message.readableBytes()];
      message.getBytes(0, bytes);
      i.writeInbound(message);
      assertArrayEquals(new byte[] {7, 7, 7, 7}, io.received.toByteArray());
      firstMessages.add(bytes);
    }
    // Same static key, same plaintext, nonce 0 in both sessions: only fresh ephemeral keys make
    // the ciphertexts differ.
    assertFalse(Arrays.equals(firstMessages.get(0), firstMessages.get(1)));
  }

  @Test
  void wrongExpectedPeerIsRefused() {
    Ed25519PrivateKey rk = Ed25519PrivateKey.generate();
    PeerId someoneElse = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
    Outcome io = new Outcome();
    Outcome ro = new Outcome();
    EmbeddedChannel i =
        new EmbeddedChannel(
            new NoiseHandshakeHandler(
                true, Ed25519PrivateKey.generate(), someoneElse, TIMEOUT, io));
    EmbeddedChannel r =
        new EmbeddedChannel(new NoiseHandshakeHandler(false, rk, null, TIMEOUT, ro));
    pump(i, r);
    assertNotNull(io.failure);
    assertTrue(io.failure.getMessage().contains("peer id mismatch"), io.failure.getMessage());
    assertFalse(i.isOpen());
    assertNull(ro.remote);
  }

  @Test
  void tamperedTransportMessageClosesConnection() {
    Outcome io = new Outcome();
    Outcome ro = new Outcome();
    EmbeddedChannel i =
        new EmbeddedChannel(
            new NoiseHandshakeHandler(true, Ed25519PrivateKey.generate(), null, TIMEOUT, io));
    EmbeddedChannel r =
        new EmbeddedChannel(
            new NoiseHandshakeHandler(false, Ed25519PrivateKey.generate(), null, TIMEOUT, ro));
    pump(i, r);
    i.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {1, 2, 3, 4}));
    ByteBuf frame = i.readOutbound();
    frame.setByte(4, frame.getByte(4) ^ 1);
    r.writeInbound(frame);
    assertFalse(r.isOpen());
    assertEquals(0, ro.received.size());
  }

  @Test
  void transportMessageTooShortForATagClosesConnection() {
    Outcome io = new Outcome();
    Outcome ro = new Outcome();
    EmbeddedChannel i =
        new EmbeddedChannel(
            new NoiseHandshakeHandler(true, Ed25519PrivateKey.generate(), null, TIMEOUT, io));
    EmbeddedChannel r =
        new EmbeddedChannel(
            new NoiseHandshakeHandler(false, Ed25519PrivateKey.generate(), null, TIMEOUT, ro));
    pump(i, r);
    r.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 3, 1, 2, 3}));
    assertFalse(r.isOpen());
  }

  @Test
  void garbageHandshakeFails() {
    Outcome ro = new Outcome();
    EmbeddedChannel r =
        new EmbeddedChannel(
            new NoiseHandshakeHandler(false, Ed25519PrivateKey.generate(), null, TIMEOUT, ro));
    r.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 5, 1, 2, 3, 4, 5}));
    assertNotNull(ro.failure);
    assertFalse(r.isOpen());
  }

  @Test
  void forgedPayloadFails() throws Exception {
    // A responder whose payload signs a different static key than the one it uses.
    Outcome io = new Outcome();
    EmbeddedChannel i =
        new EmbeddedChannel(
            new NoiseHandshakeHandler(true, Ed25519PrivateKey.generate(), null, TIMEOUT, io));
    ByteBuf m1 = i.readOutbound();
    m1.skipBytes(2);
    byte[] m1bytes = new byte[m1.readableBytes()];
    m1.readBytes(m1bytes);
    m1.release();
    HandshakeState r = new HandshakeState(false, X25519.generate(), new byte[0]);
    r.readMessage(m1bytes);
    byte[] m2 =
        r.writeMessage(
            NoisePayload.create(Ed25519PrivateKey.generate(), X25519.generate().publicKey()));
    ByteBuf framed = Unpooled.buffer().writeShort(m2.length).writeBytes(m2);
    i.writeInbound(framed);
    assertTrue(io.failure.getMessage().contains("signature"), io.failure.getMessage());
    assertFalse(i.isOpen());
  }

  @Test
  void silentPeerTimesOut() {
    Outcome ro = new Outcome();
    EmbeddedChannel r =
        new EmbeddedChannel(
            new NoiseHandshakeHandler(
                false, Ed25519PrivateKey.generate(), null, Duration.ofSeconds(3), ro));
    r.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 32, 1}));
    assertTrue(r.isOpen());
    r.advanceTimeBy(4, TimeUnit.SECONDS);
    r.runScheduledPendingTasks();
    assertTrue(ro.failure.getMessage().contains("timed out"));
    assertFalse(r.isOpen());
  }
}
