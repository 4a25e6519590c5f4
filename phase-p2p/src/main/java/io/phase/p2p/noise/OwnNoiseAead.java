package io.phase.p2p.noise;

import java.util.Objects;

/** {@link NoiseAead} on our {@link ChaCha20Poly1305}. */
final class OwnNoiseAead implements NoiseAead {
  private static final int TAG = ChaCha20Poly1305.TAG_LENGTH;
  private static final byte[] NO_AD = new byte[0];

  private final ChaCha20Poly1305 aead;

  OwnNoiseAead(byte[] key) {
    this.aead = new ChaCha20Poly1305(key);
  }

  @Override
  public byte[] seal(long nonce, byte[] ad, byte[] plaintext) {
    byte[] out = new byte[plaintext.length + TAG];
    aead.seal(0, lo(nonce), hi(nonce), ad, 0, ad.length, plaintext, 0, plaintext.length, out, 0);
    return out;
  }

  @Override
  public byte[] open(long nonce, byte[] ad, byte[] ciphertext) throws NoiseException {
    int len = bodyLength(ciphertext.length);
    byte[] out = new byte[len];
    if (!aead.open(
        0, lo(nonce), hi(nonce), ad, 0, ad.length, ciphertext, 0, len, ciphertext, len, out, 0)) {
      throw new NoiseException("message authentication failed");
    }
    return out;
  }

  @Override
  public int sealInPlace(long nonce, byte[] buf, int off, int len) {
    Objects.checkFromIndexSize(off, len + TAG, buf.length);
    aead.seal(0, lo(nonce), hi(nonce), NO_AD, 0, 0, buf, off, len, buf, off);
    return len + TAG;
  }

  @Override
  public int openInPlace(long nonce, byte[] buf, int off, int len) throws NoiseException {
    Objects.checkFromIndexSize(off, len, buf.length);
    int body = bodyLength(len);
    // Tag first, then decryption: a forged message leaves the ciphertext untouched.
    if (!aead.open(
        0, lo(nonce), hi(nonce), NO_AD, 0, 0, buf, off, body, buf, off + body, buf, off)) {
      throw new NoiseException("message authentication failed");
    }
    return body;
  }

  private static int bodyLength(int ciphertextLength) throws NoiseException {
    if (ciphertextLength < TAG) {
      throw new NoiseException("ciphertext shorter than the authentication tag");
    }
    return ciphertextLength - TAG;
  }

  private static int lo(long nonce) {
    return (int) nonce;
  }

  private static int hi(long nonce) {
    return (int) (nonce >>> 32);
  }
}
