package io.phase.p2p.noise;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The ChaCha20-Poly1305 AEAD of RFC 8439 on byte arrays, written for speed on JVMs whose own
 * provider is not intrinsified: the ChaCha20 block function runs on locals and XORs 64-byte blocks
 * through little-endian int views; Poly1305 is radix 2^26 ({@link Poly1305}). Output goes into
 * caller-provided arrays; input and output may be the same region (in place) but must not otherwise
 * overlap. {@link #open} checks the tag, in constant time, before it writes any plaintext. One
 * instance per key; not thread-safe.
 */
final class ChaCha20Poly1305 {
  static final int KEY_LENGTH = 32;
  static final int NONCE_LENGTH = 12;
  static final int TAG_LENGTH = 16;

  private static final VarHandle LE_INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  // "expand 32-byte k"
  private static final int C0 = 0x61707865;
  private static final int C1 = 0x3320646e;
  private static final int C2 = 0x79622d32;
  private static final int C3 = 0x6b206574;

  private final int k0, k1, k2, k3, k4, k5, k6, k7;
  private final Poly1305 poly = new Poly1305();
  private final byte[] block = new byte[64];
  private final byte[] expectedTag = new byte[TAG_LENGTH];
  private final byte[] receivedTag = new byte[TAG_LENGTH];

  /** A cipher under the 32-byte {@code key}. */
  ChaCha20Poly1305(byte[] key) {
    if (key.length != KEY_LENGTH) {
      throw new IllegalArgumentException("ChaCha20-Poly1305 key must be 32 bytes");
    }
    k0 = (int) LE_INT.get(key, 0);
    k1 = (int) LE_INT.get(key, 4);
    k2 = (int) LE_INT.get(key, 8);
    k3 = (int) LE_INT.get(key, 12);
    k4 = (int) LE_INT.get(key, 16);
    k5 = (int) LE_INT.get(key, 20);
    k6 = (int) LE_INT.get(key, 24);
    k7 = (int) LE_INT.get(key, 28);
  }

  /** The three nonce words of a 12-byte RFC 8439 nonce: {@code n[0..4), n[4..8), n[8..12)}. */
  static int[] nonceWords(byte[] nonce) {
    if (nonce.length != NONCE_LENGTH) {
      throw new IllegalArgumentException("ChaCha20-Poly1305 nonce must be 12 bytes");
    }
    return new int[] {
      (int) LE_INT.get(nonce, 0), (int) LE_INT.get(nonce, 4), (int) LE_INT.get(nonce, 8)
    };
  }

  /**
   * Encrypts {@code in[inOff..inOff+len)} into {@code out[outOff..outOff+len)} and writes the tag
   * to {@code out[outOff+len..outOff+len+16)}. The nonce is the words {@code n0, n1, n2} (Noise: 0,
   * counter low, counter high).
   */
  void seal(
      int n0,
      int n1,
      int n2,
      byte[] ad,
      int adOff,
      int adLen,
      byte[] in,
      int inOff,
      int len,
      byte[] out,
      int outOff) {
    checkRange(ad, adOff, adLen);
    checkRange(in, inOff, len);
    checkRange(out, outOff, len + TAG_LENGTH);
    initPoly(n0, n1, n2);
    poly.updatePadded(ad, adOff, adLen);
    xor(1, n0, n1, n2, in, inOff, out, outOff, len);
    poly.updatePadded(out, outOff, len);
    poly.updateLengths(adLen, len);
    poly.finish(out, outOff + len);
  }

  /**
   * Authenticates the ciphertext {@code in[inOff..inOff+len)} against the tag {@code
   * tagIn[tagOff..tagOff+16)} and only then decrypts it into {@code out[outOff..outOff+len)}. On a
   * bad tag nothing is written to {@code out} and false is returned.
   */
  boolean open(
      int n0,
      int n1,
      int n2,
      byte[] ad,
      int adOff,
      int adLen,
      byte[] in,
      int inOff,
      int len,
      byte[] tagIn,
      int tagOff,
      byte[] out,
      int outOff) {
    checkRange(ad, adOff, adLen);
    checkRange(in, inOff, len);
    checkRange(tagIn, tagOff, TAG_LENGTH);
    checkRange(out, outOff, len);
    initPoly(n0, n1, n2);
    poly.updatePadded(ad, adOff, adLen);
    poly.updatePadded(in, inOff, len);
    poly.updateLengths(adLen, len);
    poly.finish(expectedTag, 0);
    System.arraycopy(tagIn, tagOff, receivedTag, 0, TAG_LENGTH);
    if (!MessageDigest.isEqual(expectedTag, receivedTag)) {
      return false;
    }
    xor(1, n0, n1, n2, in, inOff, out, outOff, len);
    return true;
  }

  /** Writes the 64-byte ChaCha20 block for {@code counter} and the nonce words (RFC 8439 2.3). */
  void keyStreamBlock(int counter, int n0, int n1, int n2, byte[] out, int off) {
    checkRange(out, off, 64);
    Arrays.fill(out, off, off + 64, (byte) 0);
    xor(counter, n0, n1, n2, out, off, out, off, 64);
  }

  /**
   * XORs {@code len} bytes of ChaCha20 key stream, starting at block {@code counter}, from {@code
   * in} into {@code out} (RFC 8439 2.4).
   */
  void xor(
      int counter, int n0, int n1, int n2, byte[] in, int inOff, byte[] out, int outOff, int len) {
    checkRange(in, inOff, len);
    checkRange(out, outOff, len);
    if (Integer.toUnsignedLong(counter) + ((len + 63L) >>> 6) > (1L << 32)) {
      throw new IllegalArgumentException("ChaCha20 block counter would wrap");
    }
    final int k0 = this.k0, k1 = this.k1, k2 = this.k2, k3 = this.k3;
    final int k4 = this.k4, k5 = this.k5, k6 = this.k6, k7 = this.k7;
    int done = 0;
    while (done < len) {
      int x0 = C0, x1 = C1, x2 = C2, x3 = C3;
      int x4 = k0, x5 = k1, x6 = k2, x7 = k3;
      int x8 = k4, x9 = k5, x10 = k6, x11 = k7;
      int x12 = counter, x13 = n0, x14 = n1, x15 = n2;
      for (int round = 0; round < 10; round++) {
        // Column rounds.
        x0 += x4;
        x12 = Integer.rotateLeft(x12 ^ x0, 16);
        x8 += x12;
        x4 = Integer.rotateLeft(x4 ^ x8, 12);
        x0 += x4;
        x12 = Integer.rotateLeft(x12 ^ x0, 8);
        x8 += x12;
        x4 = Integer.rotateLeft(x4 ^ x8, 7);

        x1 += x5;
        x13 = Integer.rotateLeft(x13 ^ x1, 16);
        x9 += x13;
        x5 = Integer.rotateLeft(x5 ^ x9, 12);
        x1 += x5;
        x13 = Integer.rotateLeft(x13 ^ x1, 8);
        x9 += x13;
        x5 = Integer.rotateLeft(x5 ^ x9, 7);

        x2 += x6;
        x14 = Integer.rotateLeft(x14 ^ x2, 16);
        x10 += x14;
        x6 = Integer.rotateLeft(x6 ^ x10, 12);
        x2 += x6;
        x14 = Integer.rotateLeft(x14 ^ x2, 8);
        x10 += x14;
        x6 = Integer.rotateLeft(x6 ^ x10, 7);

        x3 += x7;
        x15 = Integer.rotateLeft(x15 ^ x3, 16);
        x11 += x15;
        x7 = Integer.rotateLeft(x7 ^ x11, 12);
        x3 += x7;
        x15 = Integer.rotateLeft(x15 ^ x3, 8);
        x11 += x15;
        x7 = Integer.rotateLeft(x7 ^ x11, 7);

        // Diagonal rounds.
        x0 += x5;
        x15 = Integer.rotateLeft(x15 ^ x0, 16);
        x10 += x15;
        x5 = Integer.rotateLeft(x5 ^ x10, 12);
        x0 += x5;
        x15 = Integer.rotateLeft(x15 ^ x0, 8);
        x10 += x15;
        x5 = Integer.rotateLeft(x5 ^ x10, 7);

        x1 += x6;
        x12 = Integer.rotateLeft(x12 ^ x1, 16);
        x11 += x12;
        x6 = Integer.rotateLeft(x6 ^ x11, 12);
        x1 += x6;
        x12 = Integer.rotateLeft(x12 ^ x1, 8);
        x11 += x12;
        x6 = Integer.rotateLeft(x6 ^ x11, 7);

        x2 += x7;
        x13 = Integer.rotateLeft(x13 ^ x2, 16);
        x8 += x13;
        x7 = Integer.rotateLeft(x7 ^ x8, 12);
        x2 += x7;
        x13 = Integer.rotateLeft(x13 ^ x2, 8);
        x8 += x13;
        x7 = Integer.rotateLeft(x7 ^ x8, 7);

        x3 += x4;
        x14 = Integer.rotateLeft(x14 ^ x3, 16);
        x9 += x14;
        x4 = Integer.rotateLeft(x4 ^ x9, 12);
        x3 += x4;
        x14 = Integer.rotateLeft(x14 ^ x3, 8);
        x9 += x14;
        x4 = Integer.rotateLeft(x4 ^ x9, 7);
      }
      x0 += C0;
      x1 += C1;
      x2 += C2;
      x3 += C3;
      x4 += k0;
      x5 += k1;
      x6 += k2;
      x7 += k3;
      x8 += k4;
      x9 += k5;
      x10 += k6;
      x11 += k7;
      x12 += counter;
      x13 += n0;
      x14 += n1;
      x15 += n2;

      int i = inOff + done;
      int o = outOff + done;
      if (len - done >= 64) {
        LE_INT.set(out, o, (int) LE_INT.get(in, i) ^ x0);
        LE_INT.set(out, o + 4, (int) LE_INT.get(in, i + 4) ^ x1);
        LE_INT.set(out, o + 8, (int) LE_INT.get(in, i + 8) ^ x2);
        LE_INT.set(out, o + 12, (int) LE_INT.get(in, i + 12) ^ x3);
        LE_INT.set(out, o + 16, (int) LE_INT.get(in, i + 16) ^ x4);
        LE_INT.set(out, o + 20, (int) LE_INT.get(in, i + 20) ^ x5);
        LE_INT.set(out, o + 24, (int) LE_INT.get(in, i + 24) ^ x6);
        LE_INT.set(out, o + 28, (int) LE_INT.get(in, i + 28) ^ x7);
        LE_INT.set(out, o + 32, (int) LE_INT.get(in, i + 32) ^ x8);
        LE_INT.set(out, o + 36, (int) LE_INT.get(in, i + 36) ^ x9);
        LE_INT.set(out, o + 40, (int) LE_INT.get(in, i + 40) ^ x10);
        LE_INT.set(out, o + 44, (int) LE_INT.get(in, i + 44) ^ x11);
        LE_INT.set(out, o + 48, (int) LE_INT.get(in, i + 48) ^ x12);
        LE_INT.set(out, o + 52, (int) LE_INT.get(in, i + 52) ^ x13);
        LE_INT.set(out, o + 56, (int) LE_INT.get(in, i + 56) ^ x14);
        LE_INT.set(out, o + 60, (int) LE_INT.get(in, i + 60) ^ x15);
        done += 64;
      } else {
        byte[] ks = block;
        LE_INT.set(ks, 0, x0);
        LE_INT.set(ks, 4, x1);
        LE_INT.set(ks, 8, x2);
        LE_INT.set(ks, 12, x3);
        LE_INT.set(ks, 16, x4);
        LE_INT.set(ks, 20, x5);
        LE_INT.set(ks, 24, x6);
        LE_INT.set(ks, 28, x7);
        LE_INT.set(ks, 32, x8);
        LE_INT.set(ks, 36, x9);
        LE_INT.set(ks, 40, x10);
        LE_INT.set(ks, 44, x11);
        LE_INT.set(ks, 48, x12);
        LE_INT.set(ks, 52, x13);
        LE_INT.set(ks, 56, x14);
        LE_INT.set(ks, 60, x15);
        int rest = len - done;
        for (int j = 0; j < rest; j++) {
          out[o + j] = (byte) (in[i + j] ^ ks[j]);
        }
        Arrays.fill(ks, (byte) 0);
        done = len;
      }
      counter++;
    }
  }

  private void initPoly(int n0, int n1, int n2) {
    keyStreamBlock(0, n0, n1, n2, block, 0);
    poly.init(block, 0);
    Arrays.fill(block, (byte) 0);
  }

  private static void checkRange(byte[] b, int off, int len) {
    if (off < 0 || len < 0 || off > b.length - len) {
      throw new IndexOutOfBoundsException(
          "range [" + off + ", " + off + " + " + len + ") out of an array of " + b.length);
    }
  }
}
