package io.phase.p2p.noise;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.phase.p2p.crypto.Ed25519PrivateKey;
import io.phase.p2p.crypto.Ed25519PublicKey;
import io.phase.p2p.noise.pb.NoisePayloadProto.NoiseHandshakePayload;
import io.phase.p2p.peer.PeerId;
import java.nio.charset.StandardCharsets;

/**
 * The libp2p handshake payload: the identity key and its signature over {@code
 * "noise-libp2p-static-key:" || static X25519 public key}, binding the Noise key to the PeerId.
 */
final class NoisePayload {
  private static final byte[] SIGNATURE_PREFIX =
      "noise-libp2p-static-key:".getBytes(StandardCharsets.US_ASCII);

  private NoisePayload() {}

  static byte[] create(Ed25519PrivateKey identity, byte[] staticPublicKey) {
    return NoiseHandshakePayload.newBuilder()
        .setIdentityKey(ByteString.copyFrom(identity.publicKey().marshal()))
        .setIdentitySig(ByteString.copyFrom(identity.sign(signedBytes(staticPublicKey))))
        .build()
        .toByteArray();
  }

  /**
   * Checks the peer's payload against its static Noise key and returns its PeerId.
   *
   * @throws NoiseException if the payload is malformed, the key type unsupported, or the signature
   *     invalid
   */
  static PeerId verify(byte[] payload, byte[] remoteStaticKey) throws NoiseException {
    NoiseHandshakePayload parsed;
    try {
      parsed = NoiseHandshakePayload.parseFrom(payload);
    } catch (InvalidProtocolBufferException e) {
      throw new NoiseException("malformed handshake payload: " + e.getMessage());
    }
    if (!parsed.hasIdentityKey() || !parsed.hasIdentitySig()) {
      throw new NoiseException("handshake payload lacks identity key or signature");
    }
    Ed25519PublicKey key;
    try {
      key = Ed25519PublicKey.unmarshal(parsed.getIdentityKey().toByteArray());
    } catch (IllegalArgumentException e) {
      throw new NoiseException("unsupported identity key: " + e.getMessage());
    }
    if (!key.verify(signedBytes(remoteStaticKey), parsed.getIdentitySig().toByteArray())) {
      throw new NoiseException("identity signature over the static key is invalid");
    }
    return PeerId.fromPublicKey(key);
  }

  private static byte[] signedBytes(byte[] staticPublicKey) {
    byte[] out = new byte[SIGNATURE_PREFIX.length + staticPublicKey.length];
    System.arraycopy(SIGNATURE_PREFIX, 0, out, 0, SIGNATURE_PREFIX.length);
    System.arraycopy(staticPublicKey, 0, out, SIGNATURE_PREFIX.length, staticPublicKey.length);
    return out;
  }
}
