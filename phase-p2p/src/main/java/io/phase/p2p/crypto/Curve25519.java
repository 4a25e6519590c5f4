package io.phase.p2p.crypto;

import java.util.Arrays;

/**
 * The X25519 function of RFC 7748 on our own field arithmetic, constant time in the scalar.
 *
 * <p>{@link #x25519} runs the Montgomery ladder with masked conditional swaps; {@link #x25519Base}
 * computes the same result for u = 9 through the Edwards fixed-base table ({@link Edwards25519})
 * and the birational map u = (1 + y) / (1 - y), several times faster than a ladder. Neither refuses
 * the all-zero output: callers decide (Noise does).
 */
public final class Curve25519 {

  /** Length of scalars, u-coordinates and results. */
  public static final int LENGTH = 32;

  /** (486662 - 2) / 4, the ladder constant of RFC 7748. */
  private static final long A24 = 121665;

  private Curve25519() {}

  /**
   * X25519(scalar, u): the 32-byte little-endian u-coordinate of [clamp(scalar)] (u). The top bit
   * of {@code u} is ignored and values from p up act as their residue, as RFC 7748 requires.
   *
   * @throws IllegalArgumentException if either argument is not 32 bytes
   */
  public static byte[] x25519(byte[] scalar, byte[] u) {
    checkLength(scalar, "scalar");
    checkLength(u, "u-coordinate");
    byte[] k = clamp(scalar);
    long[] x1 = Field25519.create();
    long[] x2 = Field25519.create();
    long[] z2 = Field25519.create();
    long[] x3 = Field25519.create();
    long[] z3 = Field25519.create();
    long[] a = Field25519.create();
    long[] aa = Field25519.create();
    long[] b = Field25519.create();
    long[] bb = Field25519.create();
    long[] e = Field25519.create();
    long[] c = Field25519.create();
    long[] d = Field25519.create();
    Field25519.fromBytes(x1, u, 0);
    Field25519.one(x2);
    Field25519.copy(x3, x1);
    Field25519.one(z3);
    int swap = 0;
    for (int t = 254; t >= 0; t--) {
      int bit = (k[t >> 3] >> (t & 7)) & 1;
      swap ^= bit;
      Field25519.cswap(x2, x3, swap);
      Field25519.cswap(z2, z3, swap);
      swap = bit;
      // Every lazy (uncarried) sum or difference below feeds a multiplication directly.
      Field25519.addLazy(a, x2, z2);
      Field25519.square(aa, a);
      Field25519.subLazy(b, x2, z2);
      Field25519.square(bb, b);
      Field25519.subLazy(e, aa, bb);
      Field25519.addLazy(c, x3, z3);
      Field25519.subLazy(d, x3, z3);
      Field25519.mul(d, d, a); // DA
      Field25519.mul(c, c, b); // CB
      Field25519.addLazy(x3, d, c);
      Field25519.square(x3, x3);
      Field25519.subLazy(z3, d, c);
      Field25519.square(z3, z3);
      Field25519.mul(z3, z3, x1);
      Field25519.mul(x2, aa, bb);
      Field25519.mulSmall(z2, e, A24);
      Field25519.addLazy(z2, z2, aa);
      Field25519.mul(z2, z2, e);
    }
    Field25519.cswap(x2, x3, swap);
    Field25519.cswap(z2, z3, swap);
    Arrays.fill(k, (byte) 0);
    long[][] scratch = Field25519.scratch();
    Field25519.invert(z2, z2, scratch);
    Field25519.mul(x2, x2, z2);
    byte[] result = Field25519.toBytes(x2);
    long[][] secrets = {x2, z2, x3, z3, a, aa, b, bb, e, c, d};
    for (long[] limbs : secrets) {
      Field25519.zero(limbs);
    }
    for (long[] limbs : scratch) {
      Field25519.zero(limbs);
    }
    return result;
  }

  /**
   * X25519(scalar, 9): the public key of a private scalar.
   *
   * @throws IllegalArgumentException if the scalar is not 32 bytes
   */
  public static byte[] x25519Base(byte[] scalar) {
    checkLength(scalar, "scalar");
    byte[] k = clamp(scalar);
    Edwards25519.Work w = new Edwards25519.Work();
    Edwards25519.Point p = new Edwards25519.Point();
    Edwards25519.scalarMultBase(p, k, w);
    Arrays.fill(k, (byte) 0);
    long[] num = Field25519.create();
    long[] den = Field25519.create();
    Field25519.add(num, p.z, p.y);
    Field25519.sub(den, p.z, p.y);
    Field25519.invert(den, den, w.scratch);
    Field25519.mul(num, num, den);
    w.wipe();
    return Field25519.toBytes(num);
  }

  /**
   * The clamped scalar of RFC 7748 and RFC 8032 (section 5.1.5): a copy of the first 32 bytes with
   * the low three bits and the top bit cleared and bit 254 set.
   */
  static byte[] clamp(byte[] scalar) {
    byte[] k = java.util.Arrays.copyOf(scalar, 32);
    k[0] &= (byte) 248;
    k[31] &= 127;
    k[31] |= 64;
    return k;
  }

  private static void checkLength(byte[] value, String what) {
    if (value.length != LENGTH) {
      throw new IllegalArgumentException(
          "X25519 " + what + " must be " + LENGTH + " bytes, got " + value.length);
    }
  }
}
