package io.phase.p2p.crypto;

import java.math.BigInteger;

/**
 * Arithmetic modulo L = 2^252 + 27742317777372353535851937790883648493, the order of the Ed25519
 * base point, in constant time.
 *
 * <p>Numbers are held in 21-bit limbs inside {@code long}s (25 limbs cover 512-bit inputs).
 * Reduction uses 2^252 = -c (mod L), where c = L - 2^252 has 125 bits (six limbs): the limbs from
 * 12 up are folded down as {@code -limb * c}, and the result is carried. Every round does the same
 * work whatever the values, and the final correction into [0, L) uses masked selection, so no
 * branch or index depends on the (secret) scalars.
 */
final class Scalar25519 {

  /** The group order L. */
  static final BigInteger ORDER =
      BigInteger.ONE.shiftLeft(252).add(new BigInteger("27742317777372353535851937790883648493"));

  private static final int BITS = 21;
  private static final long MASK = (1L << BITS) - 1;
  private static final int LIMBS = 25;

  /** Limbs of c = L - 2^252 (six limbs of 21 bits). */
  private static final long[] C = limbsOf(ORDER.subtract(BigInteger.ONE.shiftLeft(252)), 6);

  /** Limbs of L and 2L, for the final conditional subtractions. */
  private static final long[] L1 = limbsOf(ORDER, LIMBS);

  private static final long[] L2 = limbsOf(ORDER.shiftLeft(1), LIMBS);

  /** Fold rounds: each removes about 127 bits, 512 -> 385 -> 258 -> 253 -> (-2^126, 2^253). */
  private static final int ROUNDS = 5;

  private Scalar25519() {}

  /** The 64-byte little-endian number {@code s} reduced mod L, as 32 bytes. */
  static byte[] reduce(byte[] s) {
    if (s.length != 64) {
      throw new IllegalArgumentException("expected 64 bytes, got " + s.length);
    }
    long[] x = new long[LIMBS];
    load(x, s, 64);
    return finish(x);
  }

  /** (a * b + c) mod L for 32-byte little-endian a, b, c (each below 2^256). */
  static byte[] mulAdd(byte[] a, byte[] b, byte[] c) {
    long[] al = new long[13];
    long[] bl = new long[13];
    long[] x = new long[LIMBS];
    load(al, a, 32);
    load(bl, b, 32);
    load(x, c, 32);
    for (int i = 0; i < 13; i++) {
      for (int j = 0; j < 13; j++) {
        x[i + j] += al[i] * bl[j]; // each term < 2^42, at most 13 per limb
      }
    }
    carry(x);
    return finish(x);
  }

  /** True when the 32-byte little-endian {@code s} is below L (public data; not constant time). */
  static boolean isCanonical(byte[] s, int offset) {
    byte[] be = new byte[32];
    for (int i = 0; i < 32; i++) {
      be[i] = s[offset + 31 - i];
    }
    return new BigInteger(1, be).compareTo(ORDER) < 0;
  }

  private static byte[] finish(long[] x) {
    for (int r = 0; r < ROUNDS; r++) {
      fold(x);
      carry(x);
    }
    // Now -2^126 < x < 2^253; x + L lies in [0, 3L). Subtract 2L, then L, where that stays >= 0.
    for (int i = 0; i < LIMBS; i++) {
      x[i] += L1[i];
    }
    carry(x);
    conditionalSubtract(x, L2);
    conditionalSubtract(x, L1);
    return store(x);
  }

  /** x -= m unless that goes negative; constant time. x and m are carried, non-negative. */
  private static void conditionalSubtract(long[] x, long[] m) {
    long[] y = new long[LIMBS];
    for (int i = 0; i < LIMBS; i++) {
      y[i] = x[i] - m[i];
    }
    carry(y);
    long keep = y[LIMBS - 1] >> 63; // all ones when x - m < 0
    for (int i = 0; i < LIMBS; i++) {
      x[i] = (x[i] & keep) | (y[i] & ~keep);
    }
  }

  /** Replaces limbs 12.. (weight 2^252 and up) by their product with -c in the low limbs. */
  private static void fold(long[] x) {
    long[] high = new long[LIMBS - 12];
    for (int i = 12; i < LIMBS; i++) {
      high[i - 12] = x[i];
      x[i] = 0;
    }
    for (int i = 0; i < high.length; i++) {
      for (int j = 0; j < C.length; j++) {
        x[i + j] -= high[i] * C[j];
      }
    }
  }

  /**
   * Carries so that limbs 0..23 lie in [0, 2^21); limb 24 keeps the signed rest (floor carries).
   */
  private static void carry(long[] x) {
    for (int i = 0; i < LIMBS - 1; i++) {
      long c = x[i] >> BITS;
      x[i + 1] += c;
      x[i] -= c << BITS;
    }
  }

  private static void load(long[] limbs, byte[] s, int length) {
    int bit = 0;
    for (int i = 0; i < limbs.length && bit < 8 * length; i++, bit += BITS) {
      long v = 0;
      int first = bit >> 3;
      for (int k = 0; k < 4 && first + k < length; k++) {
        v |= (s[first + k] & 0xffL) << (8 * k);
      }
      limbs[i] = (v >>> (bit & 7)) & MASK;
    }
  }

  private static byte[] store(long[] x) {
    byte[] out = new byte[32];
    long acc = 0;
    int accBits = 0;
    int pos = 0;
    for (int i = 0; i < 13 && pos < 32; i++) {
      acc |= x[i] << accBits;
      accBits += BITS;
      while (accBits >= 8 && pos < 32) {
        out[pos++] = (byte) acc;
        acc >>>= 8;
        accBits -= 8;
      }
    }
    return out;
  }

  private static long[] limbsOf(BigInteger v, int count) {
    long[] limbs = new long[count];
    for (int i = 0; i < count; i++) {
      limbs[i] = v.shiftRight(BITS * i).longValue() & MASK;
    }
    if (v.shiftRight(BITS * count).signum() != 0) {
      throw new IllegalStateException("constant does not fit " + count + " limbs");
    }
    return limbs;
  }
}
