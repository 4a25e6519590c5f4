package io.phase.p2p.crypto;

import java.math.BigInteger;

/**
 * Arithmetic in GF(2^255 - 19), the field of Curve25519 and Ed25519.
 *
 * <p>An element is a {@code long[10]} in radix 2^25.5: limb {@code i} carries weight {@code
 * 2^ceil(25.5 i)}, even limbs hold 26 bits and odd limbs 25. Every operation leaves its result
 * "carried": all limbs non-negative, limb 0 below 2^26, limbs 1 and 5 below 2^25 + 2^16 and the
 * others masked to their width. {@link #addLazy} and {@link #subLazy} skip the carry; their limbs
 * stay below 1.5 * 2^27 (even) and 1.5 * 2^26 (odd). With such operands on both sides every product
 * term of {@link #mul} or {@link #square} stays below 2^60.5 and a limb of the product (at most ten
 * terms, weighted by 2 and 19) below 2^62.1, inside a signed long. Results may alias inputs.
 * Nothing branches on or indexes by element values; {@link #toBytes} gives the unique canonical
 * encoding. Package-private: callers are {@link Curve25519} and {@link Ed25519}.
 */
final class Field25519 {

  /** Limbs per element. */
  static final int LIMBS = 10;

  private static final long MASK26 = (1L << 26) - 1;
  private static final long MASK25 = (1L << 25) - 1;

  /** 2p in limbs: added before a subtraction so that every limb stays non-negative. */
  private static final long TWO_P_EVEN0 = 2 * ((1L << 26) - 19);

  private static final long TWO_P_EVEN = 2 * MASK26;
  private static final long TWO_P_ODD = 2 * MASK25;

  /** The prime 2^255 - 19. */
  static final BigInteger P = BigInteger.ONE.shiftLeft(255).subtract(BigInteger.valueOf(19));

  private Field25519() {}

  /** A new zero element. */
  static long[] create() {
    return new long[LIMBS];
  }

  /** A new element equal to {@code value} (reduced mod p); not for secret values. */
  static long[] of(BigInteger value) {
    byte[] le = new byte[32];
    byte[] be = value.mod(P).toByteArray();
    for (int i = 0; i < be.length && i < 32; i++) {
      le[i] = be[be.length - 1 - i];
    }
    long[] h = create();
    fromBytes(h, le, 0);
    return h;
  }

  /** h = 0. */
  static void zero(long[] h) {
    for (int i = 0; i < LIMBS; i++) {
      h[i] = 0;
    }
  }

  /** h = 1. */
  static void one(long[] h) {
    zero(h);
    h[0] = 1;
  }

  /** h = f. */
  static void copy(long[] h, long[] f) {
    System.arraycopy(f, 0, h, 0, LIMBS);
  }

  /**
   * h = the 255-bit little-endian number at {@code s[offset..offset+32)}, top bit ignored. Values
   * from p to 2^255 - 1 are accepted and act as their residue mod p.
   */
  static void fromBytes(long[] h, byte[] s, int offset) {
    h[0] = bits(s, offset, 0, 26);
    h[1] = bits(s, offset, 26, 25);
    h[2] = bits(s, offset, 51, 26);
    h[3] = bits(s, offset, 77, 25);
    h[4] = bits(s, offset, 102, 26);
    h[5] = bits(s, offset, 128, 25);
    h[6] = bits(s, offset, 153, 26);
    h[7] = bits(s, offset, 179, 25);
    h[8] = bits(s, offset, 204, 26);
    h[9] = bits(s, offset, 230, 25);
  }

  private static long bits(byte[] s, int offset, int start, int width) {
    int first = start >> 3;
    long v = 0;
    for (int i = 0; i < 5 && first + i < 32; i++) {
      v |= (s[offset + first + i] & 0xffL) << (8 * i);
    }
    return (v >>> (start & 7)) & ((1L << width) - 1);
  }

  /** Writes the canonical 32-byte little-endian encoding of f (value in [0, p)). */
  static void toBytes(byte[] s, int offset, long[] f) {
    long h0 = f[0], h1 = f[1], h2 = f[2], h3 = f[3], h4 = f[4];
    long h5 = f[5], h6 = f[6], h7 = f[7], h8 = f[8], h9 = f[9];
    // f is carried, so f < 2^255 + 2^42 < 2p: q = 1 exactly when f >= p, i.e. f + 19 >= 2^255.
    long q = (h0 + 19) >> 26;
    q = (h1 + q) >> 25;
    q = (h2 + q) >> 26;
    q = (h3 + q) >> 25;
    q = (h4 + q) >> 26;
    q = (h5 + q) >> 25;
    q = (h6 + q) >> 26;
    q = (h7 + q) >> 25;
    q = (h8 + q) >> 26;
    q = (h9 + q) >> 25;
    // f - q p = f + 19 q - q 2^255: add 19 q, carry, and drop the carry out of limb 9.
    h0 += 19 * q;
    long c;
    c = h0 >> 26;
    h1 += c;
    h0 &= MASK26;
    c = h1 >> 25;
    h2 += c;
    h1 &= MASK25;
    c = h2 >> 26;
    h3 += c;
    h2 &= MASK26;
    c = h3 >> 25;
    h4 += c;
    h3 &= MASK25;
    c = h4 >> 26;
    h5 += c;
    h4 &= MASK26;
    c = h5 >> 25;
    h6 += c;
    h5 &= MASK25;
    c = h6 >> 26;
    h7 += c;
    h6 &= MASK26;
    c = h7 >> 25;
    h8 += c;
    h7 &= MASK25;
    c = h8 >> 26;
    h9 += c;
    h8 &= MASK26;
    h9 &= MASK25;
    long w0 = h0 | (h1 << 26) | (h2 << 51);
    long w1 = (h2 >>> 13) | (h3 << 13) | (h4 << 38);
    long w2 = (h5) | (h6 << 25) | (h7 << 51);
    long w3 = (h7 >>> 13) | (h8 << 12) | (h9 << 38);
    putLong(s, offset, w0);
    putLong(s, offset + 8, w1);
    putLong(s, offset + 16, w2);
    putLong(s, offset + 24, w3);
  }

  private static void putLong(byte[] s, int offset, long w) {
    for (int i = 0; i < 8; i++) {
      s[offset + i] = (byte) (w >>> (8 * i));
    }
  }

  /** The canonical encoding of f as a new array. */
  static byte[] toBytes(long[] f) {
    byte[] s = new byte[32];
    toBytes(s, 0, f);
    return s;
  }

  /** 1 if f is odd (as its canonical representative), else 0: the "sign" of RFC 8032. */
  static int isNegative(long[] f) {
    byte[] s = toBytes(f);
    return s[0] & 1;
  }

  /** 1 if f = 0 mod p, else 0; constant time. */
  static int isZero(long[] f) {
    byte[] s = toBytes(f);
    int acc = 0;
    for (byte b : s) {
      acc |= b;
    }
    return ((acc & 0xff) - 1) >>> 31;
  }

  /** h = f + g. */
  static void add(long[] h, long[] f, long[] g) {
    carry(
        h,
        f[0] + g[0],
        f[1] + g[1],
        f[2] + g[2],
        f[3] + g[3],
        f[4] + g[4],
        f[5] + g[5],
        f[6] + g[6],
        f[7] + g[7],
        f[8] + g[8],
        f[9] + g[9]);
  }

  /** h = f - g. */
  static void sub(long[] h, long[] f, long[] g) {
    carry(
        h,
        f[0] + TWO_P_EVEN0 - g[0],
        f[1] + TWO_P_ODD - g[1],
        f[2] + TWO_P_EVEN - g[2],
        f[3] + TWO_P_ODD - g[3],
        f[4] + TWO_P_EVEN - g[4],
        f[5] + TWO_P_ODD - g[5],
        f[6] + TWO_P_EVEN - g[6],
        f[7] + TWO_P_ODD - g[7],
        f[8] + TWO_P_EVEN - g[8],
        f[9] + TWO_P_ODD - g[9]);
  }

  /**
   * h = f + g without carrying: limbs below 2^27. The result may only feed {@link #mul}, {@link
   * #square} or {@link #mulSmall} (whose bounds allow one such operand on either side, see the
   * class comment), never another addition or subtraction, comparison or encoding.
   */
  static void addLazy(long[] h, long[] f, long[] g) {
    for (int i = 0; i < LIMBS; i++) {
      h[i] = f[i] + g[i];
    }
  }

  /**
   * h = f - g without carrying (f + 2p - g: limbs below 3 * 2^26); same restrictions as {@link
   * #addLazy}.
   */
  static void subLazy(long[] h, long[] f, long[] g) {
    h[0] = f[0] + TWO_P_EVEN0 - g[0];
    h[1] = f[1] + TWO_P_ODD - g[1];
    h[2] = f[2] + TWO_P_EVEN - g[2];
    h[3] = f[3] + TWO_P_ODD - g[3];
    h[4] = f[4] + TWO_P_EVEN - g[4];
    h[5] = f[5] + TWO_P_ODD - g[5];
    h[6] = f[6] + TWO_P_EVEN - g[6];
    h[7] = f[7] + TWO_P_ODD - g[7];
    h[8] = f[8] + TWO_P_EVEN - g[8];
    h[9] = f[9] + TWO_P_ODD - g[9];
  }

  /** h = -f. */
  static void neg(long[] h, long[] f) {
    carry(
        h,
        TWO_P_EVEN0 - f[0],
        TWO_P_ODD - f[1],
        TWO_P_EVEN - f[2],
        TWO_P_ODD - f[3],
        TWO_P_EVEN - f[4],
        TWO_P_ODD - f[5],
        TWO_P_EVEN - f[6],
        TWO_P_ODD - f[7],
        TWO_P_EVEN - f[8],
        TWO_P_ODD - f[9]);
  }

  /** h = f * n for a small non-negative constant n below 2^20. */
  static void mulSmall(long[] h, long[] f, long n) {
    carry(
        h, f[0] * n, f[1] * n, f[2] * n, f[3] * n, f[4] * n, f[5] * n, f[6] * n, f[7] * n, f[8] * n,
        f[9] * n);
  }

  /** h = f * g. */
  static void mul(long[] h, long[] f, long[] g) {
    long f0 = f[0], f1 = f[1], f2 = f[2], f3 = f[3], f4 = f[4];
    long f5 = f[5], f6 = f[6], f7 = f[7], f8 = f[8], f9 = f[9];
    long g0 = g[0], g1 = g[1], g2 = g[2], g3 = g[3], g4 = g[4];
    long g5 = g[5], g6 = g[6], g7 = g[7], g8 = g[8], g9 = g[9];
    long f1x2 = f1 << 1, f3x2 = f3 << 1, f5x2 = f5 << 1, f7x2 = f7 << 1, f9x2 = f9 << 1;
    long g1x19 = g1 * 19, g2x19 = g2 * 19, g3x19 = g3 * 19, g4x19 = g4 * 19, g5x19 = g5 * 19;
    long g6x19 = g6 * 19, g7x19 = g7 * 19, g8x19 = g8 * 19, g9x19 = g9 * 19;
    long h0 =
        f0 * g0
            + f1x2 * g9x19
            + f2 * g8x19
            + f3x2 * g7x19
            + f4 * g6x19
            + f5x2 * g5x19
            + f6 * g4x19
            + f7x2 * g3x19
            + f8 * g2x19
            + f9x2 * g1x19;
    long h1 =
        f0 * g1
            + f1 * g0
            + f2 * g9x19
            + f3 * g8x19
            + f4 * g7x19
            + f5 * g6x19
            + f6 * g5x19
            + f7 * g4x19
            + f8 * g3x19
            + f9 * g2x19;
    long h2 =
        f0 * g2
            + f1x2 * g1
            + f2 * g0
            + f3x2 * g9x19
            + f4 * g8x19
            + f5x2 * g7x19
            + f6 * g6x19
            + f7x2 * g5x19
            + f8 * g4x19
            + f9x2 * g3x19;
    long h3 =
        f0 * g3
            + f1 * g2
            + f2 * g1
            + f3 * g0
            + f4 * g9x19
            + f5 * g8x19
            + f6 * g7x19
            + f7 * g6x19
            + f8 * g5x19
            + f9 * g4x19;
    long h4 =
        f0 * g4
            + f1x2 * g3
            + f2 * g2
            + f3x2 * g1
            + f4 * g0
            + f5x2 * g9x19
            + f6 * g8x19
            + f7x2 * g7x19
            + f8 * g6x19
            + f9x2 * g5x19;
    long h5 =
        f0 * g5
            + f1 * g4
            + f2 * g3
            + f3 * g2
            + f4 * g1
            + f5 * g0
            + f6 * g9x19
            + f7 * g8x19
            + f8 * g7x19
            + f9 * g6x19;
    long h6 =
        f0 * g6
            + f1x2 * g5
            + f2 * g4
            + f3x2 * g3
            + f4 * g2
            + f5x2 * g1
            + f6 * g0
            + f7x2 * g9x19
            + f8 * g8x19
            + f9x2 * g7x19;
    long h7 =
        f0 * g7
            + f1 * g6
            + f2 * g5
            + f3 * g4
            + f4 * g3
            + f5 * g2
            + f6 * g1
            + f7 * g0
            + f8 * g9x19
            + f9 * g8x19;
    long h8 =
        f0 * g8
            + f1x2 * g7
            + f2 * g6
            + f3x2 * g5
            + f4 * g4
            + f5x2 * g3
            + f6 * g2
            + f7x2 * g1
            + f8 * g0
            + f9x2 * g9x19;
    long h9 =
        f0 * g9 + f1 * g8 + f2 * g7 + f3 * g6 + f4 * g5 + f5 * g4 + f6 * g3 + f7 * g2 + f8 * g1
            + f9 * g0;
    carry(h, h0, h1, h2, h3, h4, h5, h6, h7, h8, h9);
  }

  /** h = f^2. */
  static void square(long[] h, long[] f) {
    long f0 = f[0], f1 = f[1], f2 = f[2], f3 = f[3], f4 = f[4];
    long f5 = f[5], f6 = f[6], f7 = f[7], f8 = f[8], f9 = f[9];
    long f0x2 = f0 << 1,
        f1x2 = f1 << 1,
        f2x2 = f2 << 1,
        f3x2 = f3 << 1,
        f4x2 = f4 << 1,
        f5x2 = f5 << 1,
        f6x2 = f6 << 1,
        f7x2 = f7 << 1,
        f8x2 = f8 << 1,
        f9x2 = f9 << 1;
    long f5x19 = f5 * 19, f6x19 = f6 * 19, f7x19 = f7 * 19, f8x19 = f8 * 19, f9x19 = f9 * 19;
    long f5x38 = f5 * 38, f6x38 = f6 * 38, f7x38 = f7 * 38, f8x38 = f8 * 38, f9x38 = f9 * 38;
    long h0 = f0 * f0 + f1x2 * f9x38 + f2x2 * f8x19 + f3x2 * f7x38 + f4x2 * f6x19 + f5x2 * f5x19;
    long h1 = f0x2 * f1 + f2x2 * f9x19 + f3x2 * f8x19 + f4x2 * f7x19 + f5x2 * f6x19;
    long h2 = f0x2 * f2 + f1x2 * f1 + f3x2 * f9x38 + f4x2 * f8x19 + f5x2 * f7x38 + f6 * f6x19;
    long h3 = f0x2 * f3 + f1x2 * f2 + f4x2 * f9x19 + f5x2 * f8x19 + f6x2 * f7x19;
    long h4 = f0x2 * f4 + f1x2 * f3x2 + f2 * f2 + f5x2 * f9x38 + f6x2 * f8x19 + f7x2 * f7x19;
    long h5 = f0x2 * f5 + f1x2 * f4 + f2x2 * f3 + f6x2 * f9x19 + f7x2 * f8x19;
    long h6 = f0x2 * f6 + f1x2 * f5x2 + f2x2 * f4 + f3x2 * f3 + f7x2 * f9x38 + f8 * f8x19;
    long h7 = f0x2 * f7 + f1x2 * f6 + f2x2 * f5 + f3x2 * f4 + f8x2 * f9x19;
    long h8 = f0x2 * f8 + f1x2 * f7x2 + f2x2 * f6 + f3x2 * f5x2 + f4 * f4 + f9x2 * f9x19;
    long h9 = f0x2 * f9 + f1x2 * f8 + f2x2 * f7 + f3x2 * f6 + f4x2 * f5;
    carry(h, h0, h1, h2, h3, h4, h5, h6, h7, h8, h9);
  }

  /** h = f^(2^n), n >= 1. */
  static void squareTimes(long[] h, long[] f, int n) {
    square(h, f);
    for (int i = 1; i < n; i++) {
      square(h, h);
    }
  }

  /**
   * Stores the uncarried limbs h0..h9 (each non-negative and below 2^62) into h, carried. The carry
   * out of limb 9 has weight 2^255 = 19 mod p and re-enters at limb 0.
   */
  private static void carry(
      long[] h,
      long h0,
      long h1,
      long h2,
      long h3,
      long h4,
      long h5,
      long h6,
      long h7,
      long h8,
      long h9) {
    // Two interleaved chains (0..5 and 4..9, 0, 1) shorten the dependency path from 11 steps to 7.
    long c0 = h0 >> 26;
    h1 += c0;
    h0 &= MASK26;
    long c4 = h4 >> 26;
    h5 += c4;
    h4 &= MASK26;
    long c1 = h1 >> 25;
    h2 += c1;
    h1 &= MASK25;
    long c5 = h5 >> 25;
    h6 += c5;
    h5 &= MASK25;
    long c2 = h2 >> 26;
    h3 += c2;
    h2 &= MASK26;
    long c6 = h6 >> 26;
    h7 += c6;
    h6 &= MASK26;
    long c3 = h3 >> 25;
    h4 += c3;
    h3 &= MASK25;
    long c7 = h7 >> 25;
    h8 += c7;
    h7 &= MASK25;
    c4 = h4 >> 26;
    h5 += c4;
    h4 &= MASK26;
    long c8 = h8 >> 26;
    h9 += c8;
    h8 &= MASK26;
    long c9 = h9 >> 25;
    h0 += 19 * c9;
    h9 &= MASK25;
    c0 = h0 >> 26;
    h1 += c0;
    h0 &= MASK26;
    h[0] = h0;
    h[1] = h1;
    h[2] = h2;
    h[3] = h3;
    h[4] = h4;
    h[5] = h5;
    h[6] = h6;
    h[7] = h7;
    h[8] = h8;
    h[9] = h9;
  }

  /** Swaps f and g when {@code bit} is 1, leaves them when it is 0; constant time. */
  static void cswap(long[] f, long[] g, int bit) {
    long mask = -(long) bit;
    for (int i = 0; i < LIMBS; i++) {
      long x = (f[i] ^ g[i]) & mask;
      f[i] ^= x;
      g[i] ^= x;
    }
  }

  /** h = g when {@code bit} is 1, unchanged when it is 0; constant time. */
  static void cmov(long[] h, long[] g, int bit) {
    long mask = -(long) bit;
    for (int i = 0; i < LIMBS; i++) {
      h[i] ^= (h[i] ^ g[i]) & mask;
    }
  }

  /** h = 1/z (and 0 for z = 0), as z^(p-2). t0..t3 are scratch elements distinct from h and z. */
  static void invert(long[] h, long[] z, long[][] scratch) {
    long[] t0 = scratch[0], t1 = scratch[1], t2 = scratch[2], t3 = scratch[3];
    chainTo250(z, t0, t1, t2, t3);
    // t2 = z^(2^250 - 1), t0 = z^11
    squareTimes(t2, t2, 5); // z^(2^255 - 32)
    mul(h, t2, t0); // z^(2^255 - 21) = z^(p - 2)
  }

  /** h = z^((p-5)/8) = z^(2^252 - 3), for square roots. Scratch as for {@link #invert}. */
  static void pow22523(long[] h, long[] z, long[][] scratch) {
    long[] t0 = scratch[0], t1 = scratch[1], t2 = scratch[2], t3 = scratch[3];
    chainTo250(z, t0, t1, t2, t3);
    squareTimes(t2, t2, 2); // z^(2^252 - 4)
    mul(h, t2, z);
  }

  /** Leaves t0 = z^11 and t2 = z^(2^250 - 1); t1, t3 are scratch. */
  private static void chainTo250(long[] z, long[] t0, long[] t1, long[] t2, long[] t3) {
    square(t0, z); // z^2
    squareTimes(t1, t0, 2); // z^8
    mul(t1, t1, z); // z^9
    mul(t0, t0, t1); // z^11
    square(t2, t0); // z^22
    mul(t1, t1, t2); // z^31 = z^(2^5 - 1)
    squareTimes(t2, t1, 5);
    mul(t1, t2, t1); // z^(2^10 - 1)
    squareTimes(t2, t1, 10);
    mul(t2, t2, t1); // z^(2^20 - 1)
    squareTimes(t3, t2, 20);
    mul(t2, t3, t2); // z^(2^40 - 1)
    squareTimes(t2, t2, 10);
    mul(t1, t2, t1); // z^(2^50 - 1)
    squareTimes(t2, t1, 50);
    mul(t2, t2, t1); // z^(2^100 - 1)
    squareTimes(t3, t2, 100);
    mul(t2, t3, t2); // z^(2^200 - 1)
    squareTimes(t2, t2, 50);
    mul(t2, t2, t1); // z^(2^250 - 1)
  }

  /** Four scratch elements for {@link #invert} and {@link #pow22523}. */
  static long[][] scratch() {
    return new long[4][LIMBS];
  }
}
