package io.phase.p2p.fuzz;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.phase.p2p.crypto.Ed25519PrivateKey;
import io.phase.p2p.crypto.Ed25519PublicKey;
import io.phase.p2p.noise.HandshakeState;
import io.phase.p2p.noise.NoiseException;
import io.phase.p2p.noise.X25519;
import io.phase.p2p.noise.pb.NoisePayloadProto.NoiseHandshakePayload;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The fuzzer's side of a Noise XX handshake: an honest state machine with fixed keys (so committed
 * seeds stay valid across runs) that lets a target put arbitrary payloads into correctly encrypted
 * handshake messages, plus framing helpers and an independent model of payload validity.
 */
final class NoisePeer {
  /** Fixed identity of the fuzzer's peer. */
  static final Ed25519PrivateKey IDENTITY = Ed25519PrivateKey.fromSeed(filled(32, 0x42));

  /** Fixed static Noise key of the fuzzer's peer. */
  static final X25519.KeyPair STATIC = X25519.fromPrivate(filled(32, 0x24));

  private static final byte[] SIGNATURE_PREFIX =
      "noise-libp2p-static-key:".getBytes(StandardCharsets.US_ASCII);

  final HandshakeState handshake;

  NoisePeer(boolean initiator) {
    handshake = new HandshakeState(initiator, STATIC, new byte[0]);
  }

  /** A payload the handler under test must accept: {@link #IDENTITY} signing {@link #STATIC}. */
  static byte[] validPayload() {
    return NoiseHandshakePayload.newBuilder()
        .setIdentityKey(ByteString.copyFrom(IDENTITY.publicKey().marshal()))
        .setIdentitySig(ByteString.copyFrom(IDENTITY.sign(signed(STATIC.publicKey()))))
        .build()
        .toByteArray();
  }

  /**
   * The spec's validity rule, written independently of the implementation: returns the identity key
   * if {@code payload} is a libp2p handshake payload whose Ed25519 key signed {@code staticKey}.
   */
  static Optional<Ed25519PublicKey> validIdentity(byte[] payload, byte[] staticKey) {
    NoiseHandshakePayload parsed;
    try {
      parsed = NoiseHandshakePayload.parseFrom(payload);
    } catch (InvalidProtocolBufferException e) {
      return Optional.empty();
    }
    if (!parsed.hasIdentityKey() || !parsed.hasIdentitySig()) {
      return Optional.empty();
    }
    Ed25519PublicKey key;
    try {
      key = Ed25519PublicKey.unmarshal(parsed.getIdentityKey().toByteArray());
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    return key.verify(signed(staticKey), parsed.getIdentitySig().toByteArray())
        ? Optional.of(key)
        : Optional.empty();
  }

  byte[] write(byte[] payload) {
    try {
      return handshake.writeMessage(payload);
    } catch (NoiseException e) {
      throw new AssertionError("honest peer could not write", e);
    }
  }

  byte[] read(byte[] message) {
    try {
      return handshake.readMessage(message);
    } catch (NoiseException e) {
      throw new AssertionError("handler under test sent an invalid handshake message", e);
    }
  }

  /** Prefixes {@code message} with its 2-byte big-endian length. */
  static byte[] frame(byte[] message) {
    byte[] out = new byte[2 + message.length];
    out[0] = (byte) (message.length >>> 8);
    out[1] = (byte) message.length;
    System.arraycopy(message, 0, out, 2, message.length);
    return out;
  }

  /** Splits a byte stream into complete 2-byte length-prefixed messages; fails on a partial one. */
  static List<byte[]> unframe(byte[] bytes) {
    List<byte[]> out = new ArrayList<>();
    int offset = 0;
    while (offset < bytes.length) {
      if (bytes.length - offset < 2) {
        throw new AssertionError("handler wrote a partial length prefix");
      }
      int length = ((bytes[offset] & 0xff) << 8) | (bytes[offset + 1] & 0xff);
      if (bytes.length - offset - 2 < length) {
        throw new AssertionError("handler wrote a partial message");
      }
      out.add(Arrays.copyOfRange(bytes, offset + 2, offset + 2 + length));
      offset += 2 + length;
    }
    return out;
  }

  private static byte[] signed(byte[] staticKey) {
    byte[] out = Arrays.copyOf(SIGNATURE_PREFIX, SIGNATURE_PREFIX.length + staticKey.length);
    System.arraycopy(staticKey, 0, out, SIGNATURE_PREFIX.length, staticKey.length);
    return out;
  }

  private static byte[] filled(int length, int value) {
    byte[] out = new byte[length];
    Arrays.fill(out, (byte) value);
    return out;
  }
}
