package io.phase.p2p.noise;

import java.nio.ByteBuffer;

/**
 * ChaCha20-Poly1305 under one key with Noise's nonces: 4 zero bytes then the 64-bit counter in
 * little-endian order. Implementations: {@link JdkNoiseAead} (the JDK provider) and {@link
 * OwnNoiseAead} ({@link ChaCha20Poly1305}); {@link AeadImplementation} picks one. Opening verifies
 * the tag before any plaintext is released. Not thread-safe.
 */
interface NoiseAead {
  /** Returns ciphertext ‖ tag of {@code plaintext} with associated data {@code ad}. */
  byte[] seal(long nonce, byte[] ad, byte[] plaintext);

  /**
   * Returns the plaintext of {@code ciphertext} (at least {@link ChaCha20Poly1305#TAG_LENGTH}
   * bytes, tag last) with associated data {@code ad}.
   *
   * @throws NoiseException if authentication fails
   */
  byte[] open(long nonce, byte[] ad, byte[] ciphertext) throws NoiseException;

  /**
   * Seals the concatenation of the remaining bytes of {@code plaintexts} (no associated data) into
   * {@code out}, consuming the inputs and advancing {@code out}; returns the bytes written
   * (plaintext length + tag).
   *
   * @throws IllegalArgumentException if {@code out} has too little room
   */
  int seal(long nonce, ByteBuffer[] plaintexts, ByteBuffer out);

  /**
   * Opens the remaining bytes of {@code ciphertext} (at least a tag's worth; no associated data)
   * into {@code out}, consuming the input and advancing {@code out}; returns the plaintext length.
   * Nothing is written to {@code out} unless the tag is valid.
   *
   * @throws NoiseException if authentication fails
   * @throws IllegalArgumentException if {@code out} has too little room
   */
  int open(long nonce, ByteBuffer ciphertext, ByteBuffer out) throws NoiseException;
}
