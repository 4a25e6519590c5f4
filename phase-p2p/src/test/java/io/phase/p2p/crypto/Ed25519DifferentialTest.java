package io.phase.p2p.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Our Ed25519 against RFC 8032's vectors and, differentially, against the JDK provider: same public
 * keys, byte-identical signatures, and the same accept/reject decision on valid, mutated and
 * malformed signatures and keys.
 */
class Ed25519DifferentialTest {

  private static final HexFormat HEX = HexFormat.of();
  private static final BigInteger P =
      BigInteger.ONE.shiftLeft(255).subtract(BigInteger.valueOf(19));
  private static final BigInteger L = Scalar25519.ORDER;
  private static final Curve25519Implementation OWN = Curve25519Implementation.OWN;
  private static final Curve25519Implementation JDK = Curve25519Implementation.JDK;

  @Test
  void rfc8032Vectors() {
    vector(
        "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
        "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
        "",
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
    vector(
        "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
        "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
        "72",
        "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00");
    vector(
        "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
        "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
        "af82",
        "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a");
  }

  private static void vector(String seed, String publicKey, String message, String signature) {
    for (Curve25519Implementation impl : Curve25519Implementation.values()) {
      Ed25519PrivateKey key = Ed25519PrivateKey.fromSeed(HEX.parseHex(seed), impl);
      assertEquals(publicKey, key.publicKey().toHex(), impl.name());
      byte[] msg = HEX.parseHex(message);
      assertEquals(signature, HEX.formatHex(key.sign(msg)), impl.name());
      assertTrue(key.publicKey().verify(msg, HEX.parseHex(signature)), impl.name());
    }
  }

  @Test
  void keysAndSignaturesMatchTheJdk() {
    Random random = new Random(8032);
    for (int i = 0; i < 2000; i++) {
      byte[] seed = new byte[32];
      random.nextBytes(seed);
      Ed25519PrivateKey own = Ed25519PrivateKey.fromSeed(seed, OWN);
      Ed25519PrivateKey jdk = Ed25519PrivateKey.fromSeed(seed, JDK);
      assertEquals(jdk.publicKey(), own.publicKey());
      byte[] message = new byte[random.nextInt(i % 100 == 0 ? 2000 : 200)];
      random.nextBytes(message);
      byte[] signature = own.sign(message);
      assertArrayEquals(jdk.sign(message), signature);
      Ed25519PublicKey ownPublic = Ed25519PublicKey.fromRaw(own.publicKey().raw(), OWN);
      Ed25519PublicKey jdkPublic = Ed25519PublicKey.fromRaw(own.publicKey().raw(), JDK);
      assertTrue(ownPublic.verify(message, signature));
      assertTrue(jdkPublic.verify(message, signature));
      if (i % 4 == 0) {
        assertMutationsAgree(random, own.publicKey().raw(), message, signature);
      }
    }
  }

  /** Flipped bits in signature, message and key; S >= L; non-canonical R. */
  private static void assertMutationsAgree(
      Random random, byte[] publicKey, byte[] message, byte[] signature) {
    byte[] sig = signature.clone();
    int bit = random.nextInt(512);
    sig[bit >> 3] ^= (byte) (1 << (bit & 7));
    assertSameDecision(publicKey, message, sig, false);

    if (message.length > 0) {
      byte[] msg = message.clone();
      msg[random.nextInt(msg.length)] ^= (byte) (1 << random.nextInt(8));
      assertSameDecision(publicKey, msg, signature, false);
    }

    byte[] key = publicKey.clone();
    key[random.nextInt(32)] ^= (byte) (1 << random.nextInt(8));
    assertSameDecision(key, message, signature, false);

    // S + L (still below 2^256) is the same residue but must be refused.
    BigInteger s = fromLittleEndian(Arrays.copyOfRange(signature, 32, 64));
    for (BigInteger bigS :
        new BigInteger[] {s.add(L), s.add(L.shiftLeft(1)), s.add(L.shiftLeft(3))}) {
      if (bigS.bitLength() <= 256) {
        assertSameDecision(publicKey, message, withS(signature, bigS), false);
      }
    }
    // The sign bit of R flipped, and R's y replaced by y + p where that stays below 2^255.
    byte[] flipped = signature.clone();
    flipped[31] ^= (byte) 0x80;
    assertSameDecision(publicKey, message, flipped, false);
    byte[] rBytes = Arrays.copyOf(signature, 32);
    int sign = rBytes[31] & 0x80;
    rBytes[31] &= 0x7f;
    BigInteger y = fromLittleEndian(rBytes);
    if (y.add(P).bitLength() <= 255) {
      byte[] alias = signature.clone();
      byte[] yAlias = littleEndian(y.add(P));
      yAlias[31] |= (byte) sign;
      System.arraycopy(yAlias, 0, alias, 0, 32);
      assertSameDecision(publicKey, message, alias, false);
    }
  }

  @Test
  void scalarsAtAndAboveTheOrder() {
    Ed25519PrivateKey key = Ed25519PrivateKey.fromSeed(new byte[32], OWN);
    byte[] message = "order".getBytes();
    byte[] signature = key.sign(message);
    byte[] pub = key.publicKey().raw();
    BigInteger[] values = {
      L,
      L.add(BigInteger.ONE),
      L.add(BigInteger.TWO),
      L.subtract(BigInteger.ONE),
      BigInteger.ZERO,
      BigInteger.ONE.shiftLeft(253),
      BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE)
    };
    for (BigInteger s : values) {
      assertSameDecision(pub, message, withS(signature, s), false);
    }
  }

  @Test
  void malformedAndSmallOrderKeysAndRs() {
    List<byte[]> points = new ArrayList<>(smallOrderEncodings());
    assertEquals(8, points.size(), "edwards25519 has eight points of order dividing 8");
    // Non-canonical encodings: y = p .. 2^255 - 1 with both signs; x = 0 with the sign bit set.
    for (int k = 0; k < 19; k++) {
      points.add(littleEndian(P.add(BigInteger.valueOf(k))));
    }
    List<byte[]> withSign = new ArrayList<>();
    for (byte[] p : points) {
      byte[] q = p.clone();
      q[31] ^= (byte) 0x80;
      withSign.add(q);
    }
    points.addAll(withSign);
    points.add(new byte[32]);
    byte[] ones = new byte[32];
    Arrays.fill(ones, (byte) 0xff);
    points.add(ones);
    Random random = new Random(19);
    for (int i = 0; i < 40; i++) {
      byte[] r = new byte[32];
      random.nextBytes(r);
      points.add(r); // about half of random y are not on the curve
    }
    byte[] message = "small order".getBytes();
    BigInteger[] scalars = {BigInteger.ZERO, BigInteger.ONE, L.subtract(BigInteger.ONE)};
    int accepted = 0;
    for (byte[] key : points) {
      for (byte[] r : points) {
        for (BigInteger s : scalars) {
          byte[] sig = new byte[64];
          System.arraycopy(r, 0, sig, 0, 32);
          System.arraycopy(littleEndian(s), 0, sig, 32, 32);
          if (assertSameDecision(key, message, sig, true)) {
            accepted++;
          }
        }
      }
    }
    assertTrue(accepted > 0, "some small-order combinations verify under the cofactorless rule");
  }

  @Test
  void mixedOrderKeys() {
    // A valid key plus a torsion point: signatures by the valid key, checked against the sum.
    List<byte[]> torsion = smallOrderEncodings();
    Random random = new Random(88);
    Edwards25519.Work w = new Edwards25519.Work();
    for (int i = 0; i < 64; i++) {
      byte[] seed = new byte[32];
      random.nextBytes(seed);
      Ed25519PrivateKey key = Ed25519PrivateKey.fromSeed(seed, OWN);
      Edwards25519.Point a = Ed25519.decodePublicKey(key.publicKey().raw());
      Edwards25519.Point t = Ed25519.decodePublicKey(torsion.get(i % torsion.size()));
      Edwards25519.Cached tc = new Edwards25519.Cached();
      tc.set(t);
      Edwards25519.Point sum = new Edwards25519.Point();
      Edwards25519.add(sum, a, tc, 0, w);
      byte[] mixed = Edwards25519.encode(sum, w);
      byte[] message = new byte[16];
      random.nextBytes(message);
      assertSameDecision(mixed, message, key.sign(message), true);
    }
  }

  @Test
  void wrongLengthSignaturesAreRefused() {
    Ed25519PrivateKey key = Ed25519PrivateKey.fromSeed(new byte[32], OWN);
    byte[] signature = key.sign(new byte[0]);
    for (Curve25519Implementation impl : Curve25519Implementation.values()) {
      Ed25519PublicKey pub = Ed25519PublicKey.fromRaw(key.publicKey().raw(), impl);
      assertFalse(pub.verify(new byte[0], Arrays.copyOf(signature, 63)));
      assertFalse(pub.verify(new byte[0], Arrays.copyOf(signature, 65)));
      assertFalse(pub.verify(new byte[0], new byte[0]));
    }
  }

  /** The eight encodings of points of order dividing 8, found as [L] Q for curve points Q. */
  private static List<byte[]> smallOrderEncodings() {
    Set<String> found = new LinkedHashSet<>();
    Edwards25519.Work w = new Edwards25519.Work();
    byte[] order = littleEndian(L);
    byte[] zero = new byte[32];
    Random random = new Random(8);
    for (int tries = 0; tries < 2000 && found.size() < 8; tries++) {
      byte[] y = new byte[32];
      random.nextBytes(y);
      y[31] &= 0x7f;
      Edwards25519.Point q = new Edwards25519.Point();
      if (!Edwards25519.decode(q, y, 0, w)) {
        continue;
      }
      Edwards25519.Point torsion = new Edwards25519.Point();
      Edwards25519.doubleScalarMult(torsion, order, q, zero, w);
      found.add(HEX.formatHex(Edwards25519.encode(torsion, w)));
    }
    List<byte[]> out = new ArrayList<>();
    for (String hex : found) {
      out.add(HEX.parseHex(hex));
    }
    return out;
  }

  /** Both implementations decide alike; returns the decision. */
  private static boolean assertSameDecision(
      byte[] publicKey, byte[] message, byte[] signature, boolean anyDecision) {
    boolean jdk = Ed25519PublicKey.fromRaw(publicKey, JDK).verify(message, signature);
    boolean own = Ed25519PublicKey.fromRaw(publicKey, OWN).verify(message, signature);
    assertEquals(
        jdk, own, () -> "key=" + HEX.formatHex(publicKey) + " sig=" + HEX.formatHex(signature));
    if (!anyDecision) {
      assertFalse(own, () -> "mutated signature accepted: " + HEX.formatHex(signature));
    }
    return own;
  }

  private static byte[] withS(byte[] signature, BigInteger s) {
    byte[] out = signature.clone();
    System.arraycopy(littleEndian(s), 0, out, 32, 32);
    return out;
  }

  private static BigInteger fromLittleEndian(byte[] le) {
    byte[] be = new byte[le.length];
    for (int i = 0; i < le.length; i++) {
      be[i] = le[le.length - 1 - i];
    }
    return new BigInteger(1, be);
  }

  private static byte[] littleEndian(BigInteger value) {
    byte[] be = value.toByteArray();
    byte[] le = new byte[32];
    for (int i = 0; i < 32 && i < be.length; i++) {
      le[i] = be[be.length - 1 - i];
    }
    return le;
  }
}
