package io.phase.p2p.noise;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Poly1305 one-time authenticator (RFC 8439 section 2.5) in radix 2^26: five 26-bit limbs, products
 * in {@code long}. One instance is reused for many messages ({@link #init} resets it); not
 * thread-safe. The arithmetic has no secret-dependent branches or table look-ups.
 */
final class Poly1305 {
  /** Length of a Poly1305 key (r ‖ s) and of the tag. */
  static final int KEY_LENGTH = 32;

  static final int TAG_LENGTH = 16;

  private static final VarHandle LE_INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long M26 = 0x3ffffff;
  private static final long M32 = 0xffffffffL;
  private static final int HIBIT = 1 << 24;

  private long r0, r1, r2, r3, r4;
  private long s1, s2, s3, s4;
  private long pad0, pad1, pad2, pad3;
  private long h0, h1, h2, h3, h4;
  private final byte[] last = new byte[16];

  /** Starts a new message under the 32-byte one-time key {@code key[off..off+32)}. */
  void init(byte[] key, int off) {
    long t0 = u32(key, off);
    long t1 = u32(key, off + 4);
    long t2 = u32(key, off + 8);
    long t3 = u32(key, off + 12);
    // r is clamped (RFC 8439 2.5.1) while it is split into limbs.
    r0 = t0 & 0x3ffffff;
    r1 = ((t0 >>> 26) | (t1 << 6)) & 0x3ffff03;
    r2 = ((t1 >>> 20) | (t2 << 12)) & 0x3ffc0ff;
    r3 = ((t2 >>> 14) | (t3 << 18)) & 0x3f03fff;
    r4 = (t3 >>> 8) & 0x00fffff;
    s1 = r1 * 5;
    s2 = r2 * 5;
    s3 = r3 * 5;
    s4 = r4 * 5;
    pad0 = u32(key, off + 16);
    pad1 = u32(key, off + 20);
    pad2 = u32(key, off + 24);
    pad3 = u32(key, off + 28);
    h0 = h1 = h2 = h3 = h4 = 0;
  }

  /**
   * Absorbs {@code m[off..off+len)} zero-padded to a multiple of 16 bytes, as the AEAD construction
   * pads the associated data and the ciphertext (RFC 8439 2.8).
   */
  void updatePadded(byte[] m, int off, int len) {
    int full = len & ~15;
    blocks(m, off, full, HIBIT);
    int rest = len - full;
    if (rest > 0) {
      System.arraycopy(m, off + full, last, 0, rest);
      java.util.Arrays.fill(last, rest, 16, (byte) 0);
      blocks(last, 0, 16, HIBIT);
    }
  }

  /**
   * Absorbs {@code m[off..off+len)} as the whole remaining message: full blocks, then a final
   * partial block with its 0x01 terminator (RFC 8439 2.5.1). Use {@link #updatePadded} for AEAD.
   */
  void updateFinal(byte[] m, int off, int len) {
    int full = len & ~15;
    blocks(m, off, full, HIBIT);
    int rest = len - full;
    if (rest > 0) {
      System.arraycopy(m, off + full, last, 0, rest);
      last[rest] = 1;
      java.util.Arrays.fill(last, rest + 1, 16, (byte) 0);
      blocks(last, 0, 16, 0);
    }
  }

  /** Absorbs the 16-byte AEAD length block: {@code le64(aadLength) ‖ le64(ciphertextLength)}. */
  void updateLengths(long aadLength, long ciphertextLength) {
    LE_INT.set(last, 0, (int) aadLength);
    LE_INT.set(last, 4, (int) (aadLength >>> 32));
    LE_INT.set(last, 8, (int) ciphertextLength);
    LE_INT.set(last, 12, (int) (ciphertextLength >>> 32));
    blocks(last, 0, 16, HIBIT);
  }

  /** Writes the 16-byte tag to {@code out[off..off+16)}. The instance needs {@link #init} next. */
  void finish(byte[] out, int off) {
    long a0 = h0, a1 = h1, a2 = h2, a3 = h3, a4 = h4;
    long c;
    c = a1 >>> 26;
    a1 &= M26;
    a2 += c;
    c = a2 >>> 26;
    a2 &= M26;
    a3 += c;
    c = a3 >>> 26;
    a3 &= M26;
    a4 += c;
    c = a4 >>> 26;
    a4 &= M26;
    a0 += c * 5;
    c = a0 >>> 26;
    a0 &= M26;
    a1 += c;

    // g = h + 5 - 2^130; use g if it did not borrow (h >= p), without branching.
    long g0 = a0 + 5;
    c = g0 >>> 26;
    g0 &= M26;
    long g1 = a1 + c;
    c = g1 >>> 26;
    g1 &= M26;
    long g2 = a2 + c;
    c = g2 >>> 26;
    g2 &= M26;
    long g3 = a3 + c;
    c = g3 >>> 26;
    g3 &= M26;
    long g4 = a4 + c - (1L << 26);
    long useG = (g4 >>> 63) - 1; // all ones when g4 >= 0
    a0 = (a0 & ~useG) | (g0 & useG);
    a1 = (a1 & ~useG) | (g1 & useG);
    a2 = (a2 & ~useG) | (g2 & useG);
    a3 = (a3 & ~useG) | (g3 & useG);
    a4 = (a4 & ~useG) | (g4 & M26 & useG);

    long w0 = (a0 | (a1 << 26)) & M32;
    long w1 = ((a1 >>> 6) | (a2 << 20)) & M32;
    long w2 = ((a2 >>> 12) | (a3 << 14)) & M32;
    long w3 = ((a3 >>> 18) | (a4 << 8)) & M32;
    long f = w0 + pad0;
    LE_INT.set(out, off, (int) f);
    f = w1 + pad1 + (f >>> 32);
    LE_INT.set(out, off + 4, (int) f);
    f = w2 + pad2 + (f >>> 32);
    LE_INT.set(out, off + 8, (int) f);
    f = w3 + pad3 + (f >>> 32);
    LE_INT.set(out, off + 12, (int) f);
    h0 = h1 = h2 = h3 = h4 = 0;
  }

  /** Absorbs {@code len} bytes (a multiple of 16) of full blocks, each with {@code hibit} added. */
  private void blocks(byte[] m, int off, int len, int hibit) {
    final long r0 = this.r0, r1 = this.r1, r2 = this.r2, r3 = this.r3, r4 = this.r4;
    final long s1 = this.s1, s2 = this.s2, s3 = this.s3, s4 = this.s4;
    long h0 = this.h0, h1 = this.h1, h2 = this.h2, h3 = this.h3, h4 = this.h4;
    int end = off + len;
    for (int i = off; i < end; i += 16) {
      long t0 = u32(m, i);
      long t1 = u32(m, i + 4);
      long t2 = u32(m, i + 8);
      long t3 = u32(m, i + 12);
      h0 += t0 & M26;
      h1 += ((t0 >>> 26) | (t1 << 6)) & M26;
      h2 += ((t1 >>> 20) | (t2 << 12)) & M26;
      h3 += ((t2 >>> 14) | (t3 << 18)) & M26;
      h4 += (t3 >>> 8) | hibit;

      long d0 = h0 * r0 + h1 * s4 + h2 * s3 + h3 * s2 + h4 * s1;
      long d1 = h0 * r1 + h1 * r0 + h2 * s4 + h3 * s3 + h4 * s2;
      long d2 = h0 * r2 + h1 * r1 + h2 * r0 + h3 * s4 + h4 * s3;
      long d3 = h0 * r3 + h1 * r2 + h2 * r1 + h3 * r0 + h4 * s4;
      long d4 = h0 * r4 + h1 * r3 + h2 * r2 + h3 * r1 + h4 * r0;

      long c = d0 >>> 26;
      h0 = d0 & M26;
      d1 += c;
      c = d1 >>> 26;
      h1 = d1 & M26;
      d2 += c;
      c = d2 >>> 26;
      h2 = d2 & M26;
      d3 += c;
      c = d3 >>> 26;
      h3 = d3 & M26;
      d4 += c;
      c = d4 >>> 26;
      h4 = d4 & M26;
      h0 += c * 5;
      c = h0 >>> 26;
      h0 &= M26;
      h1 += c;
    }
    this.h0 = h0;
    this.h1 = h1;
    this.h2 = h2;
    this.h3 = h3;
    this.h4 = h4;
  }

  private static long u32(byte[] b, int off) {
    return (int) LE_INT.get(b, off) & M32;
  }
}
