package io.phase.p2p.noise;

import io.phase.p2p.crypto.Ed25519PrivateKey;

/**
 * A host's Noise static key pair and the libp2p handshake payload binding it to the host's identity
 * (identity key + signature over the static public key), made once and used by every handshake of
 * the host, as rust-libp2p does. The static key is the long-term key of Noise XX; each handshake
 * still uses fresh ephemeral keys, so sessions keep forward secrecy. Making it once saves an X25519
 * key generation and an Ed25519 signature per connection.
 */
public final class NoiseStaticKey {
  private final X25519.KeyPair keyPair;
  private final byte[] payload;

  private NoiseStaticKey(X25519.KeyPair keyPair, byte[] payload) {
    this.keyPair = keyPair;
    this.payload = payload;
  }

  /** Generates a static key pair and signs it with {@code identity}. */
  public static NoiseStaticKey generate(Ed25519PrivateKey identity) {
    X25519.KeyPair keyPair = X25519.generate();
    return new NoiseStaticKey(keyPair, NoisePayload.create(identity, keyPair.publicKey()));
  }

  X25519.KeyPair keyPair() {
    return keyPair;
  }

  /** The encoded handshake payload (a copy). */
  byte[] payload() {
    return payload.clone();
  }
}
