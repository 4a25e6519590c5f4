package io.phase.p2p.noise;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * {@link NoiseAead} on our {@link ChaCha20Poly1305}. Array-backed buffers are processed in place in
 * their arrays; other buffers are first copied (the copy costs a few percent of the cipher).
 */
final class OwnNoiseAead implements NoiseAead {
  private static final int TAG = ChaCha20Poly1305.TAG_LENGTH;
  private static final byte[] NO_AD = new byte[0];

  private final ChaCha20Poly1305 aead;
  private final byte[] tag = new byte[TAG];

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
  public int seal(long nonce, ByteBuffer[] plaintexts, ByteBuffer out) {
    long total = 0;
    for (ByteBuffer p : plaintexts) {
      total += p.remaining();
    }
    if (total > out.remaining() - TAG) {
      throw new IllegalArgumentException(
          "output buffer too small: " + out.remaining() + " bytes for " + total + " + tag");
    }
    int len = (int) total;
    boolean direct = out.hasArray() && !out.isReadOnly();
    byte[] arr = direct ? out.array() : new byte[len + TAG];
    int off = direct ? out.arrayOffset() + out.position() : 0;
    int at = off;
    for (ByteBuffer p : plaintexts) {
      int n = p.remaining();
      p.get(arr, at, n);
      at += n;
    }
    aead.seal(0, lo(nonce), hi(nonce), NO_AD, 0, 0, arr, off, len, arr, off);
    if (direct) {
      out.position(out.position() + len + TAG);
    } else {
      out.put(arr);
    }
    return len + TAG;
  }

  @Override
  public int open(long nonce, ByteBuffer ciphertext, ByteBuffer out) throws NoiseException {
    int len = bodyLength(ciphertext.remaining());
    if (len > out.remaining()) {
      throw new IllegalArgumentException(
          "output buffer too small: " + out.remaining() + " bytes for " + len);
    }
    if (ciphertext.hasArray() && out.hasArray() && !out.isReadOnly()) {
      byte[] in = ciphertext.array();
      int inOff = ciphertext.arrayOffset() + ciphertext.position();
      int outOff = out.arrayOffset() + out.position();
      if (!aead.open(
          0,
          lo(nonce),
          hi(nonce),
          NO_AD,
          0,
          0,
          in,
          inOff,
          len,
          in,
          inOff + len,
          out.array(),
          outOff)) {
        throw new NoiseException("message authentication failed");
      }
      ciphertext.position(ciphertext.limit());
      out.position(out.position() + len);
      return len;
    }
    // Copy the ciphertext where the plaintext goes (or to a scratch array) and open it in place;
    // on a bad tag the copied ciphertext is wiped again, so out never holds anything it should not.
    boolean inOut = out.hasArray() && !out.isReadOnly();
    byte[] arr = inOut ? out.array() : new byte[len];
    int off = inOut ? out.arrayOffset() + out.position() : 0;
    ciphertext.get(arr, off, len);
    ciphertext.get(tag);
    if (!aead.open(0, lo(nonce), hi(nonce), NO_AD, 0, 0, arr, off, len, tag, 0, arr, off)) {
      Arrays.fill(arr, off, off + len, (byte) 0);
      throw new NoiseException("message authentication failed");
    }
    if (inOut) {
      out.position(out.position() + len);
    } else {
      out.put(arr);
    }
    return len;
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
