package io.phase.p2p.noise;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@link NoiseAead} on the JDK's {@code Cipher "ChaCha20-Poly1305"}: intrinsified on JDK 20+ (x86
 * AVX2/AVX-512), pure Java before. The provider itself checks the tag before it releases plaintext.
 */
final class JdkNoiseAead implements NoiseAead {
  private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

  private final SecretKeySpec key;
  private final byte[] iv = new byte[ChaCha20Poly1305.NONCE_LENGTH];
  private final Cipher cipher;

  JdkNoiseAead(byte[] key) {
    if (key.length != ChaCha20Poly1305.KEY_LENGTH) {
      throw new IllegalArgumentException("ChaCha20-Poly1305 key must be 32 bytes");
    }
    this.key = new SecretKeySpec(key, "ChaCha20");
    try {
      this.cipher = Cipher.getInstance("ChaCha20-Poly1305");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no ChaCha20-Poly1305", e);
    }
  }

  @Override
  public byte[] seal(long nonce, byte[] ad, byte[] plaintext) {
    try {
      Cipher c = init(Cipher.ENCRYPT_MODE, nonce);
      c.updateAAD(ad);
      return c.doFinal(plaintext);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ChaCha20-Poly1305 encryption failed", e);
    }
  }

  @Override
  public byte[] open(long nonce, byte[] ad, byte[] ciphertext) throws NoiseException {
    try {
      Cipher c = init(Cipher.DECRYPT_MODE, nonce);
      c.updateAAD(ad);
      return c.doFinal(ciphertext);
    } catch (AEADBadTagException e) {
      throw new NoiseException("message authentication failed", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ChaCha20-Poly1305 decryption failed", e);
    }
  }

  @Override
  public int seal(long nonce, ByteBuffer[] plaintexts, ByteBuffer out) {
    try {
      Cipher c = init(Cipher.ENCRYPT_MODE, nonce);
      int written = 0;
      for (ByteBuffer p : plaintexts) {
        written += c.update(p, out);
      }
      written += c.doFinal(EMPTY.duplicate(), out);
      return written;
    } catch (ShortBufferException e) {
      throw new IllegalArgumentException("output buffer too small", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ChaCha20-Poly1305 encryption failed", e);
    }
  }

  @Override
  public int open(long nonce, ByteBuffer ciphertext, ByteBuffer out) throws NoiseException {
    try {
      return init(Cipher.DECRYPT_MODE, nonce).doFinal(ciphertext, out);
    } catch (AEADBadTagException e) {
      throw new NoiseException("message authentication failed", e);
    } catch (ShortBufferException e) {
      throw new IllegalArgumentException("output buffer too small", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ChaCha20-Poly1305 decryption failed", e);
    }
  }

  private Cipher init(int mode, long nonce) throws GeneralSecurityException {
    for (int i = 0; i < 8; i++) {
      iv[4 + i] = (byte) (nonce >>> (8 * i));
    }
    cipher.init(mode, key, new IvParameterSpec(iv));
    return cipher;
  }
}
