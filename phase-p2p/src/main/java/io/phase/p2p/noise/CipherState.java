package io.phase.p2p.noise;

import java.nio.ByteBuffer;

/**
 * Noise CipherState for ChaChaPoly: a 32-byte key and a 64-bit nonce counter. The nonce is 4 zero
 * bytes followed by the counter in little-endian order. The AEAD is the one {@link
 * AeadImplementation#selected()} names (ours on JDK 17–19, the JDK's from 20 on, or as the system
 * property {@code phase.noise.aead} says). Not thread-safe.
 */
public final class CipherState {
  /** Length of the Poly1305 tag appended to every ciphertext. */
  public static final int TAG_LENGTH = ChaCha20Poly1305.TAG_LENGTH;

  private final AeadImplementation implementation;
  private NoiseAead aead;
  private long nonce;

  /** A CipherState without a key: encryption and decryption pass data through. */
  public CipherState() {
    this(AeadImplementation.selected());
  }

  CipherState(AeadImplementation implementation) {
    this.implementation = implementation;
  }

  /** Sets the key and resets the nonce. */
  public void initializeKey(byte[] k) {
    if (k.length != ChaCha20Poly1305.KEY_LENGTH) {
      throw new IllegalArgumentException("ChaChaPoly key must be 32 bytes");
    }
    aead = implementation.create(k);
    nonce = 0;
  }

  /** Whether a key is set. */
  public boolean hasKey() {
    return aead != null;
  }

  /** The next nonce to be used. */
  public long nonce() {
    return nonce;
  }

  /** Encrypts {@code plaintext} with associated data {@code ad}; returns ciphertext + tag. */
  public byte[] encryptWithAd(byte[] ad, byte[] plaintext) {
    if (aead == null) {
      return plaintext.clone();
    }
    return aead.seal(nextNonce(), ad, plaintext);
  }

  /**
   * Decrypts and authenticates ciphertext + tag.
   *
   * @throws NoiseException if authentication fails
   */
  public byte[] decryptWithAd(byte[] ad, byte[] ciphertext) throws NoiseException {
    if (aead == null) {
      return ciphertext.clone();
    }
    if (ciphertext.length < TAG_LENGTH) {
      throw new NoiseException("ciphertext shorter than the authentication tag");
    }
    return aead.open(nextNonce(), ad, ciphertext);
  }

  /**
   * Encrypts the concatenation of {@code plaintexts} (no associated data) into {@code out}, which
   * must have room for their total length plus {@value #TAG_LENGTH}. Returns the bytes written.
   */
  public int encrypt(ByteBuffer[] plaintexts, ByteBuffer out) {
    requireKey();
    return aead.seal(nextNonce(), plaintexts, out);
  }

  /**
   * Decrypts ciphertext + tag (no associated data) into {@code out}; returns the plaintext length.
   * Nothing is written to {@code out} unless the tag is valid.
   *
   * @throws NoiseException if authentication fails
   */
  public int decrypt(ByteBuffer ciphertext, ByteBuffer out) throws NoiseException {
    requireKey();
    if (ciphertext.remaining() < TAG_LENGTH) {
      throw new NoiseException("ciphertext shorter than the authentication tag");
    }
    return aead.open(nextNonce(), ciphertext, out);
  }

  private long nextNonce() {
    if (nonce == -1L) {
      throw new IllegalStateException("nonce exhausted");
    }
    return nonce++;
  }

  private void requireKey() {
    if (aead == null) {
      throw new IllegalStateException("cipher state has no key");
    }
  }
}
