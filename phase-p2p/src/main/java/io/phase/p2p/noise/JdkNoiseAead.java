package io.phase.p2p.noise;

import java.security.GeneralSecurityException;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@link NoiseAead} on the JDK's {@code Cipher "ChaCha20-Poly1305"}: intrinsified on JDK 20+ (x86
 * AVX2/AVX-512), pure Java before, where it still measured faster than BouncyCastle's (AeadBench,
 * docs/benchmarks.md). The provider itself checks the tag before it releases plaintext, in place
 * too: a forged message leaves the ciphertext untouched. One {@code Cipher} per direction,
 * re-initialised per message.
 */
final class JdkNoiseAead implements NoiseAead {
  private final SecretKeySpec key;
  private final byte[] iv = new byte[NoiseAead.NONCE_LENGTH];
  private final Cipher cipher;

  JdkNoiseAead(byte[] key) {
    if (key.length != NoiseAead.KEY_LENGTH) {
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
    return seal(noiseNonce(nonce), ad, plaintext);
  }

  /** {@link #seal(long, byte[], byte[])} under any 12-byte RFC 8439 nonce (for test vectors). */
  byte[] seal(byte[] nonce, byte[] ad, byte[] plaintext) {
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
    return open(noiseNonce(nonce), ad, ciphertext);
  }

  /** {@link #open(long, byte[], byte[])} under any 12-byte RFC 8439 nonce (for test vectors). */
  byte[] open(byte[] nonce, byte[] ad, byte[] ciphertext) throws NoiseException {
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
  public int sealInPlace(long nonce, byte[] buf, int off, int len) {
    Objects.checkFromIndexSize(off, len + NoiseAead.TAG_LENGTH, buf.length);
    try {
      // Same array, same offset: the provider encrypts element by element, so this is in place.
      return init(Cipher.ENCRYPT_MODE, noiseNonce(nonce)).doFinal(buf, off, len, buf, off);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ChaCha20-Poly1305 encryption failed", e);
    }
  }

  @Override
  public int openInPlace(long nonce, byte[] buf, int off, int len) throws NoiseException {
    Objects.checkFromIndexSize(off, len, buf.length);
    if (len < NoiseAead.TAG_LENGTH) {
      throw new NoiseException("ciphertext shorter than the authentication tag");
    }
    try {
      return init(Cipher.DECRYPT_MODE, noiseNonce(nonce)).doFinal(buf, off, len, buf, off);
    } catch (AEADBadTagException e) {
      throw new NoiseException("message authentication failed", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ChaCha20-Poly1305 decryption failed", e);
    }
  }

  /** Noise's nonce: 4 zero bytes, then the counter little-endian (in a reused array). */
  private byte[] noiseNonce(long nonce) {
    for (int i = 0; i < 8; i++) {
      iv[4 + i] = (byte) (nonce >>> (8 * i));
    }
    return iv;
  }

  private Cipher init(int mode, byte[] nonce) throws GeneralSecurityException {
    if (nonce.length != NoiseAead.NONCE_LENGTH) {
      throw new IllegalArgumentException(
          "ChaCha20-Poly1305 nonce must be "
              + NoiseAead.NONCE_LENGTH
              + " bytes, got "
              + nonce.length);
    }
    // IvParameterSpec copies the nonce, so iv may be rewritten for the next message.
    cipher.init(mode, key, new IvParameterSpec(nonce));
    return cipher;
  }
}
