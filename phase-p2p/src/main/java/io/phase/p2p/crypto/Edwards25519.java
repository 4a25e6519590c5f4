package io.phase.p2p.crypto;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * The group of edwards25519 (-x^2 + y^2 = 1 + d x^2 y^2 over GF(2^255 - 19)): point encoding and
 * decoding (RFC 8032 5.1.2/5.1.3), a constant-time fixed-base multiplication and a variable-time
 * double multiplication for verification.
 *
 * <p>Points are in extended coordinates (X : Y : Z : T) with x = X/Z, y = Y/Z, xy = T/Z. The
 * addition formulas (Hisil-Wong-Carter-Dawson, a = -1) are complete on this curve, so the identity
 * and equal operands need no special case. Each top-level call allocates its own {@link Work}; the
 * field arithmetic then runs without allocating.
 */
final class Edwards25519 {

  /** d = -121665/121666. */
  static final long[] D;

  /** 2d. */
  static final long[] D2;

  /** sqrt(-1) = 2^((p-1)/4). */
  static final long[] SQRT_M1;

  /** The RFC 8032 base point B (y = 4/5, x even). */
  static final Point BASE;

  static {
    BigInteger p = Field25519.P;
    BigInteger d =
        BigInteger.valueOf(-121665).multiply(BigInteger.valueOf(121666).modInverse(p)).mod(p);
    D = Field25519.of(d);
    D2 = Field25519.of(d.shiftLeft(1));
    SQRT_M1 = Field25519.of(BigInteger.TWO.modPow(p.subtract(BigInteger.ONE).shiftRight(2), p));
    byte[] encoded = new byte[32];
    Field25519.toBytes(
        encoded,
        0,
        Field25519.of(BigInteger.valueOf(4).multiply(BigInteger.valueOf(5).modInverse(p))));
    Point base = new Point();
    if (!decode(base, encoded, 0, new Work())) {
      throw new IllegalStateException("base point does not decode");
    }
    BASE = base;
  }

  private Edwards25519() {}

  /** A point in extended coordinates. */
  static final class Point {
    final long[] x = Field25519.create();
    final long[] y = Field25519.create();
    final long[] z = Field25519.create();
    final long[] t = Field25519.create();

    Point() {
      setIdentity();
    }

    void setIdentity() {
      Field25519.zero(x);
      Field25519.one(y);
      Field25519.one(z);
      Field25519.zero(t);
    }

    void set(Point p) {
      Field25519.copy(x, p.x);
      Field25519.copy(y, p.y);
      Field25519.copy(z, p.z);
      Field25519.copy(t, p.t);
    }
  }

  /**
   * A point prepared for addition: (Y+X, Y-X, Z, 2dT). Affine entries (Z = 1, {@link #affine};
   * tables and the identity) spare the addition one multiplication.
   */
  static final class Cached {
    final long[] yPlusX = Field25519.create();
    final long[] yMinusX = Field25519.create();
    final long[] z = Field25519.create();
    final long[] t2d = Field25519.create();

    /** Z is 1. Public structure (which table a value comes from), never secret. */
    boolean affine;

    Cached() {
      setIdentity();
    }

    void setIdentity() {
      Field25519.one(yPlusX);
      Field25519.one(yMinusX);
      Field25519.one(z);
      Field25519.zero(t2d);
      affine = true;
    }

    void set(Point p) {
      Field25519.add(yPlusX, p.y, p.x);
      Field25519.sub(yMinusX, p.y, p.x);
      Field25519.copy(z, p.z);
      Field25519.mul(t2d, p.t, D2);
      affine = false;
    }

    /** The same point with Z normalised to 1 (for tables). */
    void setAffine(Point p, Work w) {
      long[] zInv = w.f[0];
      long[] ax = w.f[1];
      long[] ay = w.f[2];
      Field25519.invert(zInv, p.z, w.scratch);
      Field25519.mul(ax, p.x, zInv);
      Field25519.mul(ay, p.y, zInv);
      Field25519.add(yPlusX, ay, ax);
      Field25519.sub(yMinusX, ay, ax);
      Field25519.one(z);
      Field25519.mul(t2d, ax, ay);
      Field25519.mul(t2d, t2d, D2);
      affine = true;
    }

    /** this = c when bit is 1; constant time. Both must be affine or both not. */
    void cmov(Cached c, int bit) {
      Field25519.cmov(yPlusX, c.yPlusX, bit);
      Field25519.cmov(yMinusX, c.yMinusX, bit);
      Field25519.cmov(z, c.z, bit);
      Field25519.cmov(t2d, c.t2d, bit);
    }
  }

  /** Scratch field elements for one top-level operation (not shared between threads). */
  static final class Work {
    final long[][] f = new long[8][Field25519.LIMBS];
    final long[][] scratch = Field25519.scratch();
    final Cached selected = new Cached();
    final long[] negT = Field25519.create();

    /** Zeroes every scratch value (after work on secrets). */
    void wipe() {
      for (long[] e : f) {
        Field25519.zero(e);
      }
      for (long[] e : scratch) {
        Field25519.zero(e);
      }
      selected.setIdentity();
      Field25519.zero(negT);
    }
  }

  /** r = 2p; r may be p. */
  static void dbl(Point r, Point p, Work w) {
    dbl(r, p, w, true);
  }

  /**
   * r = 2p; r may be p. With {@code withT} false, r.t is left stale: only another doubling may
   * follow (doubling never reads T), which saves one multiplication.
   */
  static void dbl(Point r, Point p, Work w, boolean withT) {
    long[] a = w.f[0], b = w.f[1], c = w.f[2], e = w.f[3], f = w.f[4], g = w.f[5], h = w.f[6];
    Field25519.square(a, p.x);
    Field25519.square(b, p.y);
    Field25519.square(c, p.z);
    Field25519.add(c, c, c);
    Field25519.add(h, a, b);
    Field25519.addLazy(e, p.x, p.y);
    Field25519.square(e, e);
    Field25519.subLazy(e, h, e); // lazy results (e, f) feed only multiplications
    Field25519.sub(g, a, b);
    Field25519.addLazy(f, c, g);
    Field25519.mul(r.x, e, f);
    Field25519.mul(r.y, g, h);
    if (withT) {
      Field25519.mul(r.t, e, h);
    }
    Field25519.mul(r.z, f, g);
  }

  /** r = p + q (subtract = 0) or p - q (subtract = 1); r may be p. Not secret-dependent. */
  static void add(Point r, Point p, Cached q, int subtract, Work w) {
    long[] a = w.f[0], b = w.f[1], c = w.f[2], d = w.f[3], e = w.f[4], f = w.f[5], g = w.f[6];
    long[] h = w.f[7];
    long[] qPlus = subtract == 0 ? q.yPlusX : q.yMinusX;
    long[] qMinus = subtract == 0 ? q.yMinusX : q.yPlusX;
    // Lazy (uncarried) sums and differences feed only multiplications.
    Field25519.subLazy(a, p.y, p.x);
    Field25519.mul(a, a, qMinus);
    Field25519.addLazy(b, p.y, p.x);
    Field25519.mul(b, b, qPlus);
    Field25519.mul(c, p.t, q.t2d);
    if (q.affine) {
      Field25519.add(d, p.z, p.z);
    } else {
      Field25519.mul(d, p.z, q.z);
      Field25519.add(d, d, d);
    }
    Field25519.subLazy(e, b, a);
    if (subtract == 0) {
      Field25519.subLazy(f, d, c);
      Field25519.addLazy(g, d, c);
    } else {
      Field25519.addLazy(f, d, c);
      Field25519.subLazy(g, d, c);
    }
    Field25519.addLazy(h, b, a);
    Field25519.mul(r.x, e, f);
    Field25519.mul(r.y, g, h);
    Field25519.mul(r.t, e, h);
    Field25519.mul(r.z, f, g);
  }

  /** Writes the 32-byte RFC 8032 encoding of p. */
  static byte[] encode(Point p, Work w) {
    long[] zInv = w.f[0], ax = w.f[1], ay = w.f[2];
    Field25519.invert(zInv, p.z, w.scratch);
    Field25519.mul(ax, p.x, zInv);
    Field25519.mul(ay, p.y, zInv);
    byte[] s = Field25519.toBytes(ay);
    s[31] |= (byte) (Field25519.isNegative(ax) << 7);
    return s;
  }

  /**
   * Decodes {@code s[offset..offset+32)} into r, exactly as the JDK 17 provider does: y must be
   * below p, x is recovered as a square root (RFC 8032 5.1.3) and x = 0 with the sign bit set is
   * refused. Returns false for an invalid encoding. Variable time: for public data only.
   */
  static boolean decode(Point r, byte[] s, int offset, Work w) {
    long[] y = r.y;
    Field25519.fromBytes(y, s, offset);
    byte[] canonical = Field25519.toBytes(y);
    canonical[31] |= (byte) (s[offset + 31] & 0x80);
    if (!Arrays.equals(canonical, 0, 32, s, offset, offset + 32)) {
      return false; // y >= p
    }
    int sign = (s[offset + 31] >> 7) & 1;
    long[] u = w.f[0], v = w.f[1], v3 = w.f[2], x = w.f[3], check = w.f[4], t = w.f[5];
    Field25519.square(u, y);
    Field25519.mul(v, u, D);
    Field25519.one(t);
    Field25519.sub(u, u, t); // u = y^2 - 1
    Field25519.add(v, v, t); // v = d y^2 + 1
    Field25519.square(v3, v);
    Field25519.mul(v3, v3, v); // v^3
    Field25519.square(x, v3);
    Field25519.mul(x, x, v); // v^7
    Field25519.mul(x, x, u); // u v^7
    Field25519.pow22523(x, x, w.scratch);
    Field25519.mul(x, x, v3);
    Field25519.mul(x, x, u); // x = u v^3 (u v^7)^((p-5)/8)
    Field25519.square(check, x);
    Field25519.mul(check, check, v); // v x^2
    byte[] vxx = Field25519.toBytes(check);
    if (!Arrays.equals(vxx, Field25519.toBytes(u))) {
      Field25519.neg(t, u);
      if (!Arrays.equals(vxx, Field25519.toBytes(t))) {
        return false; // not a square: no such point
      }
      Field25519.mul(x, x, SQRT_M1);
    }
    if (Field25519.isZero(x) == 1 && sign == 1) {
      return false;
    }
    if (Field25519.isNegative(x) != sign) {
      Field25519.neg(x, x);
    }
    Field25519.copy(r.x, x);
    Field25519.one(r.z);
    Field25519.mul(r.t, x, y);
    return true;
  }

  /** r = -p. */
  static void negate(Point r, Point p) {
    Field25519.neg(r.x, p.x);
    Field25519.copy(r.y, p.y);
    Field25519.copy(r.z, p.z);
    Field25519.neg(r.t, p.t);
  }

  // ---------------------------------------------------------------------------------------------
  // Fixed-base multiplication, constant time.

  /** Table entry [i][j] = (j + 1) 256^i B, affine, i in 0..31, j in 0..7. Built on first use. */
  private static final class BaseTable {
    static final Cached[][] TABLE = build();

    private static Cached[][] build() {
      Work w = new Work();
      Cached[][] table = new Cached[32][8];
      Point row = new Point();
      row.set(BASE);
      Point multiple = new Point();
      Cached rowCached = new Cached();
      for (int i = 0; i < 32; i++) {
        rowCached.set(row);
        multiple.set(row);
        for (int j = 0; j < 8; j++) {
          if (j > 0) {
            add(multiple, multiple, rowCached, 0, w);
          }
          table[i][j] = new Cached();
          table[i][j].setAffine(multiple, w);
        }
        for (int k = 0; k < 8; k++) {
          dbl(row, row, w);
        }
      }
      return table;
    }
  }

  /**
   * r = a B for the 32-byte little-endian scalar a below 2^255 (secret), in constant time: 64
   * signed radix-16 digits, each looked up with masked selection over all eight table entries.
   */
  static void scalarMultBase(Point r, byte[] a, Work w) {
    if ((a[31] & 0x80) != 0) {
      throw new IllegalArgumentException("scalar must be below 2^255");
    }
    byte[] e = new byte[64];
    for (int i = 0; i < 32; i++) {
      e[2 * i] = (byte) (a[i] & 15);
      e[2 * i + 1] = (byte) ((a[i] >> 4) & 15);
    }
    int carry = 0;
    for (int i = 0; i < 63; i++) {
      int digit = e[i] + carry;
      carry = (digit + 8) >> 4;
      e[i] = (byte) (digit - (carry << 4));
    }
    e[63] = (byte) (e[63] + carry); // at most 8 since a < 2^255
    Cached[][] table = BaseTable.TABLE;
    r.setIdentity();
    for (int i = 1; i < 64; i += 2) {
      select(w, table[i >> 1], e[i]);
      add(r, r, w.selected, 0, w);
    }
    dbl(r, r, w, false);
    dbl(r, r, w, false);
    dbl(r, r, w, false);
    dbl(r, r, w, true);
    for (int i = 0; i < 64; i += 2) {
      select(w, table[i >> 1], e[i]);
      add(r, r, w.selected, 0, w);
    }
    Arrays.fill(e, (byte) 0);
  }

  /** w.selected = digit * (row entry), digit in [-8, 8], without secret-dependent branches. */
  private static void select(Work w, Cached[] row, byte digit) {
    int negative = (digit >> 7) & 1;
    int abs = digit - ((-negative) & (digit << 1));
    Cached s = w.selected;
    s.setIdentity();
    for (int j = 0; j < 8; j++) {
      s.cmov(row[j], equal(abs, j + 1));
    }
    // -(x, y) = (-x, y): swap Y+X and Y-X, negate 2dT.
    Field25519.cswap(s.yPlusX, s.yMinusX, negative);
    Field25519.neg(w.negT, s.t2d);
    Field25519.cmov(s.t2d, w.negT, negative);
  }

  private static int equal(int a, int b) {
    return ((a ^ b) - 1) >>> 31;
  }

  // ---------------------------------------------------------------------------------------------
  // Double multiplication for verification, variable time (public inputs only).

  /** Width of the wNAF for the base point; its table holds the odd multiples 1B .. 63B. */
  private static final int BASE_WINDOW = 7;

  /** Width of the wNAF for the other point; odd multiples 1A .. 15A. */
  private static final int POINT_WINDOW = 5;

  private static final class OddBaseMultiples {
    static final Cached[] TABLE = oddMultiples(BASE, 1 << (BASE_WINDOW - 2), true);
  }

  private static Cached[] oddMultiples(Point p, int count, boolean affine) {
    Work w = new Work();
    Cached[] table = new Cached[count];
    Point twice = new Point();
    dbl(twice, p, w);
    Cached twiceCached = new Cached();
    twiceCached.set(twice);
    Point current = new Point();
    current.set(p);
    for (int i = 0; i < count; i++) {
      if (i > 0) {
        add(current, current, twiceCached, 0, w);
      }
      table[i] = new Cached();
      if (affine) {
        table[i].setAffine(current, w);
      } else {
        table[i].set(current);
      }
    }
    return table;
  }

  /**
   * r = a A + b B for 32-byte little-endian scalars a, b below 2^253 (public): interleaved
   * sliding-window NAF.
   */
  static void doubleScalarMult(Point r, byte[] a, Point pointA, byte[] b, Work w) {
    int[] nafA = wnaf(a, POINT_WINDOW);
    int[] nafB = wnaf(b, BASE_WINDOW);
    Cached[] tableA = oddMultiples(pointA, 1 << (POINT_WINDOW - 2), false);
    Cached[] tableB = OddBaseMultiples.TABLE;
    int top = nafA.length - 1;
    while (top >= 0 && nafA[top] == 0 && nafB[top] == 0) {
      top--;
    }
    r.setIdentity();
    for (int i = top; i >= 0; i--) {
      int da = nafA[i];
      int db = nafB[i];
      // T is needed only when an addition follows; the public digits decide (variable time).
      dbl(r, r, w, da != 0 || db != 0 || i == 0);
      if (da > 0) {
        add(r, r, tableA[da >> 1], 0, w);
      } else if (da < 0) {
        add(r, r, tableA[(-da) >> 1], 1, w);
      }
      if (db > 0) {
        add(r, r, tableB[db >> 1], 0, w);
      } else if (db < 0) {
        add(r, r, tableB[(-db) >> 1], 1, w);
      }
    }
  }

  /** Width-{@code window} NAF of a 256-bit little-endian scalar: odd digits below 2^(window-1). */
  static int[] wnaf(byte[] scalar, int window) {
    int[] naf = new int[258];
    int width = 1 << window;
    int half = width >> 1;
    int carry = 0;
    int i = 0;
    while (i < 257) {
      int bit = bitAt(scalar, i) + carry;
      if ((bit & 1) == 0) {
        carry = bit >> 1;
        i++;
        continue;
      }
      int value = carry;
      for (int k = 0; k < window; k++) {
        value += bitAt(scalar, i + k) << k;
      }
      if (value >= half) {
        naf[i] = value - width;
        carry = 1;
      } else {
        naf[i] = value;
        carry = 0;
      }
      i += window;
    }
    return naf;
  }

  private static int bitAt(byte[] s, int i) {
    return i < 256 ? (s[i >> 3] >> (i & 7)) & 1 : 0;
  }
}
