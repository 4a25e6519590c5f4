package io.phase.p2p.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.channel.ChannelHandlerContext;
import io.phase.p2p.crypto.Ed25519PrivateKey;
import io.phase.p2p.crypto.Ed25519PublicKey;
import io.phase.p2p.noise.CipherState;
import io.phase.p2p.noise.NoiseException;
import io.phase.p2p.noise.NoiseHandshakeHandler;
import io.phase.p2p.noise.NoiseListener;
import io.phase.p2p.peer.PeerId;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Noise XX over an embedded channel: the responder fed arbitrary first messages, both roles fed
 * correctly encrypted messages whose payloads are arbitrary (so the payload protobuf and signature
 * checks are reached), and the transport decoder after a completed handshake fed a mix of valid and
 * forged frames. A handshake ends secured only for a valid payload, otherwise failed with the
 * channel closed; transport output is exactly the plaintext of the valid frames before the first
 * forged one.
 */
@ExtendWith(QuietLogs.class)
class NoiseFuzzTest {
  private static final Ed25519PrivateKey LOCAL = Ed25519PrivateKey.fromSeed(new byte[32]);
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final int MAX_PAYLOAD = 60_000;

  @FuzzTest(maxDuration = "30s")
  void responderFirstMessage(byte[] wire) {
    Outcome outcome = new Outcome();
    FuzzChannel ch =
        new FuzzChannel(new NoiseHandshakeHandler(false, LOCAL, null, TIMEOUT, outcome));
    ch.feed(wire);
    assertNull(outcome.remote, "secured without the peer's static key");
    List<byte[]> sent = NoisePeer.unframe(ch.outbound());
    assertTrue(sent.size() <= 1, "responder sent more than message 2");
    if (outcome.failure != null) {
      assertFalse(ch.isOpen());
    } else {
      expireHandshake(ch, outcome);
    }
    ch.alloc().assertAllocatedAtMost(256L * 1024 + 4L * wire.length, "noise handshake");
    ch.closeAndCheckLeaks();
  }

  @FuzzTest(maxDuration = "30s")
  void responderThirdMessage(FuzzedDataProvider data) {
    byte[] firstPayload = data.consumeBytes(data.consumeInt(0, 64));
    byte[] payload = data.consumeBytes(MAX_PAYLOAD);
    Outcome outcome = new Outcome();
    FuzzChannel ch =
        new FuzzChannel(new NoiseHandshakeHandler(false, LOCAL, null, TIMEOUT, outcome));
    NoisePeer peer = new NoisePeer(true);
    ch.feed(NoisePeer.frame(peer.write(firstPayload)));
    byte[] responderPayload = peer.read(single(ch.outbound()));
    assertTrue(
        NoisePeer.validIdentity(responderPayload, peer.handshake.remoteStaticKey()).isPresent(),
        "responder's own payload does not verify");
    ch.feed(NoisePeer.frame(peer.write(payload)));
    checkAuthentication(ch, outcome, payload, null);
    ch.closeAndCheckLeaks();
  }

  @FuzzTest(maxDuration = "30s")
  void initiatorSecondMessage(FuzzedDataProvider data) {
    boolean pinned = data.consumeBoolean();
    byte[] payload = data.consumeBytes(MAX_PAYLOAD);
    PeerId expected = pinned ? PeerId.fromPublicKey(NoisePeer.IDENTITY.publicKey()) : null;
    Outcome outcome = new Outcome();
    FuzzChannel ch =
        new FuzzChannel(new NoiseHandshakeHandler(true, LOCAL, expected, TIMEOUT, outcome));
    NoisePeer peer = new NoisePeer(false);
    assertEquals(0, peer.read(single(ch.outbound())).length, "libp2p message 1 has no payload");
    ch.feed(NoisePeer.frame(peer.write(payload)));
    checkAuthentication(ch, outcome, payload, expected);
    if (outcome.remote != null) {
      byte[] initiatorPayload = peer.read(single(ch.outbound()));
      assertTrue(
          NoisePeer.validIdentity(initiatorPayload, peer.handshake.remoteStaticKey()).isPresent());
    } else {
      assertEquals(0, ch.outbound().length, "initiator revealed its identity to a bad peer");
    }
    ch.closeAndCheckLeaks();
  }

  @FuzzTest(maxDuration = "30s")
  void transportFrames(FuzzedDataProvider data) {
    Outcome outcome = new Outcome();
    FuzzChannel ch =
        new FuzzChannel(new NoiseHandshakeHandler(false, LOCAL, null, TIMEOUT, outcome));
    NoisePeer peer = new NoisePeer(true);
    ch.feed(NoisePeer.frame(peer.write(new byte[0])));
    peer.read(single(ch.outbound()));
    ch.feed(NoisePeer.frame(peer.write(NoisePeer.validPayload())));
    assertNotNull(outcome.remote, "valid handshake not secured");
    CipherState send = peer.handshake.split()[0];

    // Valid frames, then (once the fuzzer chooses) forged bytes and whatever follows them.
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    int forgedAt = -1;
    int chunk = data.consumeInt(1, 70_000);
    while (data.remainingBytes() > 0 && wire.size() < 256 * 1024) {
      if (data.consumeBoolean()) {
        byte[] plain = data.consumeBytes(data.consumeInt(0, 65535 - CipherState.TAG_LENGTH));
        wire.writeBytes(NoisePeer.frame(send.encryptWithAd(new byte[0], plain)));
        if (forgedAt < 0) {
          expected.writeBytes(plain);
        }
      } else {
        byte[] forged = data.consumeBytes(data.consumeInt(1, 128));
        if (forgedAt < 0 && forged.length > 0) {
          forgedAt = wire.size();
        }
        wire.writeBytes(forged);
      }
    }
    byte[] bytes = wire.toByteArray();
    for (int offset = 0; offset < bytes.length && ch.isOpen(); offset += chunk) {
      ch.feed(bytes, offset, Math.min(chunk, bytes.length - offset));
    }
    assertArrayEquals(expected.toByteArray(), ch.inboundPassedThrough(), "transport plaintext");
    assertEquals(forgedFrameComplete(bytes, forgedAt), !ch.isOpen(), "closed iff a frame failed");
    ch.alloc().assertAllocatedAtMost(512L * 1024 + 4L * bytes.length, "noise transport");
    ch.closeAndCheckLeaks();
  }

  /** Whether the bytes from {@code forgedAt} on form a whole (or impossibly short) frame. */
  private static boolean forgedFrameComplete(byte[] wire, int forgedAt) {
    if (forgedAt < 0 || wire.length - forgedAt < 2) {
      return false;
    }
    int length = ((wire[forgedAt] & 0xff) << 8) | (wire[forgedAt + 1] & 0xff);
    return length < CipherState.TAG_LENGTH || wire.length - forgedAt - 2 >= length;
  }

  private static void checkAuthentication(
      FuzzChannel ch, Outcome outcome, byte[] payload, PeerId expected) {
    Optional<Ed25519PublicKey> identity =
        NoisePeer.validIdentity(payload, NoisePeer.STATIC.publicKey());
    boolean accept =
        identity.isPresent()
            && (expected == null || expected.equals(PeerId.fromPublicKey(identity.get())));
    if (accept) {
      assertNull(outcome.failure, () -> "valid payload rejected: " + outcome.failure);
      assertEquals(PeerId.fromPublicKey(identity.get()), outcome.remote);
      assertTrue(ch.isOpen());
      assertNotNull(ch.channel().pipeline().get(NoiseHandshakeHandler.DECODER_NAME));
      assertNull(ch.channel().pipeline().get(NoiseHandshakeHandler.class));
    } else {
      assertNull(outcome.remote, "invalid payload accepted");
      assertNotNull(outcome.failure);
      assertFalse(ch.isOpen());
    }
    assertTrue(outcome.calls == 1, "listener called " + outcome.calls + " times");
  }

  private static void expireHandshake(FuzzChannel ch, Outcome outcome) {
    assertTrue(ch.isOpen());
    ch.advance(TIMEOUT.toMillis() + 1, TimeUnit.MILLISECONDS);
    assertNotNull(outcome.failure, "pending handshake did not time out");
    assertFalse(ch.isOpen());
  }

  private static byte[] single(byte[] outbound) {
    List<byte[]> messages = NoisePeer.unframe(outbound);
    assertEquals(1, messages.size(), "expected exactly one handshake message");
    return messages.get(0);
  }

  /** Records the listener calls. */
  private static final class Outcome implements NoiseListener {
    PeerId remote;
    NoiseException failure;
    int calls;

    @Override
    public void secured(ChannelHandlerContext ctx, PeerId remotePeer) {
      calls++;
      remote = remotePeer;
    }

    @Override
    public void failed(ChannelHandlerContext ctx, NoiseException cause) {
      calls++;
      failure = cause;
    }
  }
}
