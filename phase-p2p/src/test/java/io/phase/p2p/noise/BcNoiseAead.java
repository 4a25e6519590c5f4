package io.phase.p2p.noise;

import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * {@link NoiseAead} on BouncyCastle's {@code ChaCha20Poly1305} (lightweight API, no provider
 * registration): not what Noise uses (the JDK's, {@link JdkNoiseAead}, measured faster on every
 * JDK, docs/benchmarks.md) but an independent implementation for the differential tests and a
 * candidate of {@link AeadBench}. BouncyCastle decrypts as it authenticates, so a forged message
 * can leave unauthenticated plaintext in the output: {@link #open} decrypts into a fresh array that
 * is wiped on failure, and {@link #openInPlace} wipes the range on failure, so neither ever hands
 * unauthenticated plaintext to the caller.
 */
final class BcNoiseAead implements NoiseAead {
  private final KeyParameter key;
  private final byte[] nonceBytes = new byte[NONCE_LENGTH];
  private final ChaCha20Poly1305 cipher = new ChaCha20Poly1305();

  BcNoiseAead(byte[] key) {
    if (key.length != KEY_LENGTH) {
      throw new IllegalArgumentException("ChaCha20-Poly1305 key must be 32 bytes");
    }
    this.key = new KeyParameter(key);
  }

  @Override
  public byte[] seal(long nonce, byte[] ad, byte[] plaintext) {
    return seal(noiseNonce(nonce), ad, plaintext);
  }

  /** {@link #seal(long, byte[], byte[])} under any 12-byte RFC 8439 nonce (for test vectors). */
  byte[] seal(byte[] nonce, byte[] ad, byte[] plaintext) {
    init(true, nonce, ad);
    byte[] out = new byte[plaintext.length + TAG_LENGTH];
    int n = cipher.processBytes(plaintext, 0, plaintext.length, out, 0);
    finish(out, n);
    return out;
  }

  @Override
  public byte[] open(long nonce, byte[] ad, byte[] ciphertext) throws NoiseException {
    return open(noiseNonce(nonce), ad, ciphertext);
  }

  /** {@link #open(long, byte[], byte[])} under any 12-byte RFC 8439 nonce (for test vectors). */
  byte[] open(byte[] nonce, byte[] ad, byte[] ciphertext) throws NoiseException {
    if (ciphertext.length < TAG_LENGTH) {
      throw new NoiseException("ciphertext shorter than the authentication tag");
    }
    init(false, nonce, ad);
    byte[] out = new byte[ciphertext.length - TAG_LENGTH];
    try {
      int n = cipher.processBytes(ciphertext, 0, ciphertext.length, out, 0);
      cipher.doFinal(out, n);
    } catch (InvalidCipherTextException e) {
      Arrays.fill(out, (byte) 0);
      throw new NoiseException("message authentication failed", e);
    }
    return out;
  }

  @Override
  public int sealInPlace(long nonce, byte[] buf, int off, int len) {
    Objects.checkFromIndexSize(off, len + TAG_LENGTH, buf.length);
    init(true, noiseNonce(nonce), null);
    int n = cipher.processBytes(buf, off, len, buf, off);
    return n + finish(buf, off + n);
  }

  @Override
  public int openInPlace(long nonce, byte[] buf, int off, int len) throws NoiseException {
    Objects.checkFromIndexSize(off, len, buf.length);
    if (len < TAG_LENGTH) {
      throw new NoiseException("ciphertext shorter than the authentication tag");
    }
    init(false, noiseNonce(nonce), null);
    try {
      int n = cipher.processBytes(buf, off, len, buf, off);
      return n + cipher.doFinal(buf, off + n);
    } catch (InvalidCipherTextException e) {
      // The range now holds unauthenticated plaintext: wipe it rather than release it.
      Arrays.fill(buf, off, off + len, (byte) 0);
      throw new NoiseException("message authentication failed", e);
    }
  }

  /** Noise's nonce: 4 zero bytes, then the counter little-endian (in a reused array). */
  private byte[] noiseNonce(long nonce) {
    for (int i = 0; i < 8; i++) {
      nonceBytes[4 + i] = (byte) (nonce >>> (8 * i));
    }
    return nonceBytes;
  }

  private void init(boolean encrypt, byte[] nonce, byte[] ad) {
    if (nonce.length != NONCE_LENGTH) {
      throw new IllegalArgumentException(
          "ChaCha20-Poly1305 nonce must be " + NONCE_LENGTH + " bytes, got " + nonce.length);
    }
    // AEADParameters copies the nonce, so nonceBytes may be rewritten for the next message.
    cipher.init(encrypt, new AEADParameters(key, TAG_LENGTH * 8, nonce, ad));
  }

  private int finish(byte[] out, int off) {
    try {
      return cipher.doFinal(out, off);
    } catch (InvalidCipherTextException e) {
      throw new IllegalStateException("ChaCha20-Poly1305 encryption failed", e);
    }
  }
}
