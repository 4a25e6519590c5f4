package io.phase.p2p.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Field and scalar arithmetic against BigInteger, including values at the edges of the ranges. */
class Curve25519ArithmeticTest {

  private static final BigInteger P = Field25519.P;
  private static final BigInteger L = Scalar25519.ORDER;

  @Test
  void fieldOperationsMatchBigInteger() {
    Random random = new Random(255);
    List<BigInteger> values = new ArrayList<>();
    for (long k = 0; k < 20; k++) {
      values.add(BigInteger.valueOf(k));
      values.add(P.subtract(BigInteger.valueOf(k + 1)));
      if (k < 19) {
        values.add(P.add(BigInteger.valueOf(k))); // non-canonical inputs below 2^255
      }
      values.add(BigInteger.ONE.shiftLeft(255).subtract(BigInteger.valueOf(k + 1)));
    }
    for (int i = 0; i < 400; i++) {
      values.add(new BigInteger(255, random));
    }
    long[] f = Field25519.create();
    long[] g = Field25519.create();
    long[] h = Field25519.create();
    long[][] scratch = Field25519.scratch();
    for (int i = 0; i < values.size(); i++) {
      BigInteger a = values.get(i);
      BigInteger b = values.get((i * 7 + 3) % values.size());
      Field25519.fromBytes(f, le(a), 0);
      Field25519.fromBytes(g, le(b), 0);
      Field25519.mul(h, f, g);
      assertEquals(a.multiply(b).mod(P), value(h), "mul");
      Field25519.square(h, f);
      assertEquals(a.multiply(a).mod(P), value(h), "square");
      Field25519.add(h, f, g);
      assertEquals(a.add(b).mod(P), value(h), "add");
      Field25519.sub(h, f, g);
      assertEquals(a.subtract(b).mod(P), value(h), "sub");
      Field25519.neg(h, f);
      assertEquals(a.negate().mod(P), value(h), "neg");
      Field25519.mulSmall(h, f, 121665);
      assertEquals(a.multiply(BigInteger.valueOf(121665)).mod(P), value(h), "mulSmall");
      Field25519.invert(h, f, scratch);
      BigInteger expected = a.mod(P).signum() == 0 ? BigInteger.ZERO : a.modInverse(P);
      assertEquals(expected, value(h), "invert");
      Field25519.pow22523(h, f, scratch);
      assertEquals(a.modPow(P.subtract(BigInteger.valueOf(5)).shiftRight(3), P), value(h), "pow");
      // Long chains of operations on carried outputs stay exact.
      Field25519.mul(h, h, f);
      Field25519.sub(h, h, g);
      Field25519.square(h, h);
      BigInteger chain =
          a.modPow(P.subtract(BigInteger.valueOf(5)).shiftRight(3), P).multiply(a).subtract(b);
      assertEquals(chain.multiply(chain).mod(P), value(h), "chain");
    }
  }

  @Test
  void conditionalSwapAndMove() {
    long[] f = Field25519.of(BigInteger.valueOf(5));
    long[] g = Field25519.of(BigInteger.valueOf(7));
    Field25519.cswap(f, g, 0);
    assertEquals(BigInteger.valueOf(5), value(f));
    Field25519.cswap(f, g, 1);
    assertEquals(BigInteger.valueOf(7), value(f));
    assertEquals(BigInteger.valueOf(5), value(g));
    Field25519.cmov(f, g, 0);
    assertEquals(BigInteger.valueOf(7), value(f));
    Field25519.cmov(f, g, 1);
    assertEquals(BigInteger.valueOf(5), value(f));
  }

  @Test
  void scalarReductionMatchesBigInteger() {
    Random random = new Random(252);
    List<BigInteger> values = new ArrayList<>();
    BigInteger max512 = BigInteger.ONE.shiftLeft(512).subtract(BigInteger.ONE);
    values.add(BigInteger.ZERO);
    values.add(max512);
    for (int k = -3; k <= 3; k++) {
      values.add(L.add(BigInteger.valueOf(k)));
      values.add(L.shiftLeft(1).add(BigInteger.valueOf(k)));
      values.add(L.multiply(L).add(BigInteger.valueOf(k)).abs());
      values.add(BigInteger.ONE.shiftLeft(252).add(BigInteger.valueOf(k)));
    }
    for (int i = 0; i < 2000; i++) {
      values.add(new BigInteger(1 + random.nextInt(512), random));
    }
    for (BigInteger v : values) {
      byte[] in = new byte[64];
      byte[] le = le(v, 64);
      System.arraycopy(le, 0, in, 0, 64);
      assertArrayEquals(le(v.mod(L), 32), Scalar25519.reduce(in), v.toString(16));
    }
  }

  @Test
  void scalarMulAddMatchesBigInteger() {
    Random random = new Random(253);
    BigInteger max256 = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);
    for (int i = 0; i < 2000; i++) {
      BigInteger a = i == 0 ? max256 : new BigInteger(256, random);
      BigInteger b = i == 0 ? max256 : new BigInteger(1 + random.nextInt(256), random);
      BigInteger c = i == 0 ? max256 : new BigInteger(253, random);
      assertArrayEquals(
          le(a.multiply(b).add(c).mod(L), 32), Scalar25519.mulAdd(le(a, 32), le(b, 32), le(c, 32)));
    }
  }

  private static BigInteger value(long[] f) {
    byte[] s = Field25519.toBytes(f);
    byte[] be = new byte[32];
    for (int i = 0; i < 32; i++) {
      be[i] = s[31 - i];
    }
    BigInteger v = new BigInteger(1, be);
    assertEquals(-1, v.compareTo(P), "toBytes must be canonical");
    return v;
  }

  private static byte[] le(BigInteger v) {
    return le(v, 32);
  }

  private static byte[] le(BigInteger v, int length) {
    byte[] be = v.toByteArray();
    byte[] out = new byte[length];
    for (int i = 0; i < length && i < be.length; i++) {
      out[i] = be[be.length - 1 - i];
    }
    return out;
  }
}
