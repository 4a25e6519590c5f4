package io.phase.p2p.noise;

/**
 * Noise CipherState for ChaChaPoly: a 32-byte key and a 64-bit nonce counter. The nonce is 4 zero
 * bytes followed by the counter in little-endian order. The AEAD is the JDK's ({@link
 * NoiseAead#create}). Not thread-safe.
 */
public final class CipherState {
  /** Length of the Poly1305 tag appended to every ciphertext. */
  public static final int TAG_LENGTH = NoiseAead.TAG_LENGTH;

  private NoiseAead aead;
  private long nonce;

  /** A CipherState without a key: encryption and decryption pass data through. */
  public CipherState() {}

  /** Sets the key and resets the nonce. */
  public void initializeKey(byte[] k) {
    if (k.length != NoiseAead.KEY_LENGTH) {
      throw new IllegalArgumentException("ChaChaPoly key must be 32 bytes");
    }
    aead = NoiseAead.create(k);
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
   * Encrypts {@code buf[off, off + len)} in place (no associated data) and appends the tag, so
   * {@code buf} needs room for {@code len +} {@value #TAG_LENGTH} bytes from {@code off}. Returns
   * the bytes written.
   */
  public int encryptInPlace(byte[] buf, int off, int len) {
    requireKey();
    return aead.sealInPlace(nextNonce(), buf, off, len);
  }

  /**
   * Decrypts ciphertext + tag held in {@code buf[off, off + len)} in place (no associated data);
   * returns the plaintext length, the plaintext starting at {@code off}. The tag is checked first:
   * on failure no plaintext was produced.
   *
   * @throws NoiseException if authentication fails
   */
  public int decryptInPlace(byte[] buf, int off, int len) throws NoiseException {
    requireKey();
    if (len < TAG_LENGTH) {
      throw new NoiseException("ciphertext shorter than the authentication tag");
    }
    return aead.openInPlace(nextNonce(), buf, off, len);
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
