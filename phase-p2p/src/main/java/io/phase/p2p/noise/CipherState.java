package io.phase.p2p.noise;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Noise CipherState for ChaChaPoly: a 32-byte key and a 64-bit nonce counter. The nonce is 4 zero
 * bytes followed by the counter in little-endian order. Not thread-safe.
 */
public final class CipherState {
  /** Length of the Poly1305 tag appended to every ciphertext. */
  public static final int TAG_LENGTH = 16;

  private SecretKeySpec key;
  private long nonce;
  private final byte[] iv = new byte[12];
  private Cipher cipher;

  /** A CipherState without a key: encryption and decryption pass data through. */
  public CipherState() {}

  /** Sets the key and resets the nonce. */
  public void initializeKey(byte[] k) {
    if (k.length != 32) {
      throw new IllegalArgumentException("ChaChaPoly key must be 32 bytes");
    }
    key = new SecretKeySpec(k, "ChaCha20");
    nonce = 0;
  }

  /** Whether a key is set. */
  public boolean hasKey() {
    return key != null;
  }

  /** The next nonce to be used. */
  public long nonce() {
    return nonce;
  }

  /** Encrypts {@code plaintext} with associated data {@code ad}; returns ciphertext + tag. */
  public byte[] encryptWithAd(byte[] ad, byte[] plaintext) {
    if (key == null) {
      return plaintext.clone();
    }
    try {
      Cipher c = init(Cipher.ENCRYPT_MODE);
      c.updateAAD(ad);
      return c.doFinal(plaintext);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ChaCha20-Poly1305 encryption failed", e);
    }
  }

  /**
   * Decrypts and authenticates ciphertext + tag.
   *
   * @throws NoiseException if authentication fails
   */
  public byte[] decryptWithAd(byte[] ad, byte[] ciphertext) throws NoiseException {
    if (key == null) {
      return ciphertext.clone();
    }
    if (ciphertext.length < TAG_LENGTH) {
      throw new NoiseException("ciphertext shorter than the authentication tag");
    }
    try {
      Cipher c = init(Cipher.DECRYPT_MODE);
      c.updateAAD(ad);
      return c.doFinal(ciphertext);
    } catch (AEADBadTagException e) {
      throw new NoiseException("message authentication failed", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ChaCha20-Poly1305 decryption failed", e);
    }
  }

  /**
   * Encrypts the concatenation of {@code plaintexts} (no associated data) into {@code out}, which
   * must have room for their total length plus {@value #TAG_LENGTH}. Returns the bytes written.
   */
  public int encrypt(ByteBuffer[] plaintexts, ByteBuffer out) {
    requireKey();
    try {
      Cipher c = init(Cipher.ENCRYPT_MODE);
      int written = 0;
      for (ByteBuffer p : plaintexts) {
        written += c.update(p, out);
      }
      written += c.doFinal(ByteBuffer.allocate(0), out);
      return written;
    } catch (ShortBufferException e) {
      throw new IllegalArgumentException("output buffer too small", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ChaCha20-Poly1305 encryption failed", e);
    }
  }

  /**
   * Decrypts ciphertext + tag (no associated data) into {@code out}; returns the plaintext length.
   *
   * @throws NoiseException if authentication fails
   */
  public int decrypt(ByteBuffer ciphertext, ByteBuffer out) throws NoiseException {
    requireKey();
    if (ciphertext.remaining() < TAG_LENGTH) {
      throw new NoiseException("ciphertext shorter than the authentication tag");
    }
    try {
      Cipher c = init(Cipher.DECRYPT_MODE);
      return c.doFinal(ciphertext, out);
    } catch (AEADBadTagException e) {
      throw new NoiseException("message authentication failed", e);
    } catch (ShortBufferException e) {
      throw new IllegalArgumentException("output buffer too small", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ChaCha20-Poly1305 decryption failed", e);
    }
  }

  private Cipher init(int mode) throws GeneralSecurityException {
    if (nonce == -1L) {
      throw new IllegalStateException("nonce exhausted");
    }
    long n = nonce++;
    for (int i = 0; i < 8; i++) {
      iv[4 + i] = (byte) (n >>> (8 * i));
    }
    if (cipher == null) {
      cipher = Cipher.getInstance("ChaCha20-Poly1305");
    }
    cipher.init(mode, key, new IvParameterSpec(iv));
    return cipher;
  }

  private void requireKey() {
    if (key == null) {
      throw new IllegalStateException("cipher state has no key");
    }
  }
}
