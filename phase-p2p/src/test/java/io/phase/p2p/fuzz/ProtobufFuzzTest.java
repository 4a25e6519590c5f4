package io.phase.p2p.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import io.phase.p2p.crypto.Ed25519PrivateKey;
import io.phase.p2p.crypto.Ed25519PublicKey;
import io.phase.p2p.noise.pb.NoisePayloadProto.NoiseHandshakePayload;
import io.phase.p2p.peer.PeerId;
import java.util.Optional;

/**
 * Protobuf messages from the network (Noise handshake payload, libp2p public key) and from files
 * (private key). The Noise payload's semantic check (signature over the static key) runs inside the
 * handshake: see {@link NoiseFuzzTest#responderThirdMessage}.
 */
class ProtobufFuzzTest {

  @FuzzTest(maxDuration = "30s")
  void publicKey(byte[] bytes) throws Exception {
    Optional<Ed25519PublicKey> key =
        Decoding.decodeOrReject(bytes, Ed25519PublicKey::unmarshal, IllegalArgumentException.class);
    if (key.isPresent()) {
      Decoding.assertCanonical(bytes, key.get(), Ed25519PublicKey::marshal);
      Decoding.assertRoundTrip(key.get(), Ed25519PublicKey::raw, Ed25519PublicKey::fromRaw);
      PeerId id = PeerId.fromPublicKey(key.get());
      assertEquals(id, PeerId.fromBytes(id.toBytes()));
      // Verification of arbitrary signatures must answer, never throw.
      key.get().verify(bytes, bytes);
    }
  }

  @FuzzTest(maxDuration = "30s")
  void privateKey(byte[] bytes) throws Exception {
    Optional<Ed25519PrivateKey> key =
        Decoding.decodeOrReject(
            bytes, Ed25519PrivateKey::unmarshal, IllegalArgumentException.class);
    if (key.isPresent()) {
      Decoding.assertCanonical(bytes, key.get(), Ed25519PrivateKey::marshal);
    }
  }

  @FuzzTest(maxDuration = "30s")
  void noisePayload(byte[] bytes) throws Exception {
    Optional<NoiseHandshakePayload> payload =
        Decoding.decodeOrReject(
            bytes, NoiseHandshakePayload::parseFrom, InvalidProtocolBufferException.class);
    if (payload.isPresent()) {
      Decoding.assertRoundTrip(
          payload.get(), NoiseHandshakePayload::toByteArray, NoiseHandshakePayload::parseFrom);
      if (payload.get().hasIdentityKey()) {
        Decoding.decodeOrReject(
            payload.get().getIdentityKey().toByteArray(),
            Ed25519PublicKey::unmarshal,
            IllegalArgumentException.class);
      }
    }
  }
}
