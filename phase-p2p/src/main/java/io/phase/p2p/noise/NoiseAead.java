package io.phase.p2p.noise;

/**
 * ChaCha20-Poly1305 (RFC 8439) under one key with Noise's nonces: 4 zero bytes then the 64-bit
 * counter in little-endian order. {@link #create} gives the JDK provider's ({@link JdkNoiseAead})
 * on every JDK: it measured faster than BouncyCastle's on JDK 17 and, intrinsified, several times
 * faster from JDK 20 on (docs/benchmarks.md, "Cryptography library choice"). Opening never releases
 * unauthenticated plaintext. The interface lets the benchmark and the differential tests put other
 * implementations beside it. Not thread-safe.
 */
interface NoiseAead {
  /** Key length. */
  int KEY_LENGTH = 32;

  /** Nonce length. */
  int NONCE_LENGTH = 12;

  /** Length of the Poly1305 tag. */
  int TAG_LENGTH = 16;

  /** The AEAD Noise uses, keyed with {@code key}. */
  static NoiseAead create(byte[] key) {
    return new JdkNoiseAead(key);
  }

  /** Returns ciphertext ‖ tag of {@code plaintext} with associated data {@code ad}. */
  byte[] seal(long nonce, byte[] ad, byte[] plaintext);

  /**
   * Returns the plaintext of {@code ciphertext} (at least {@link #TAG_LENGTH} bytes, tag last) with
   * associated data {@code ad}.
   *
   * @throws NoiseException if authentication fails
   */
  byte[] open(long nonce, byte[] ad, byte[] ciphertext) throws NoiseException;

  /**
   * Seals {@code buf[off, off + len)} in place (no associated data): the ciphertext overwrites the
   * plaintext and the tag follows it, so {@code buf} needs room for {@code len +} {@link
   * #TAG_LENGTH} bytes from {@code off}. Returns the bytes sealed (len + tag).
   *
   * @throws IndexOutOfBoundsException if {@code buf} has too little room
   */
  int sealInPlace(long nonce, byte[] buf, int off, int len);

  /**
   * Opens ciphertext ‖ tag held in {@code buf[off, off + len)} in place (no associated data): the
   * plaintext is written from {@code off}; returns its length ({@code len} minus the tag). The tag
   * is checked before anything is decrypted, so on failure {@code buf} still holds the ciphertext.
   *
   * @throws NoiseException if {@code len} is shorter than a tag or authentication fails
   * @throws IndexOutOfBoundsException if the range lies outside {@code buf}
   */
  int openInPlace(long nonce, byte[] buf, int off, int len) throws NoiseException;
}
