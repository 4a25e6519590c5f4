package io.phase.p2p.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The Ed25519 we use (BouncyCastle's, behind {@link Ed25519PrivateKey} and {@link
 * Ed25519PublicKey}) against RFC 8032's vectors and, differentially, against the JDK provider: same
 * public keys, byte-identical signatures, and the same accept/reject decision on valid, mutated and
 * malformed signatures and keys (small-order, mixed-order and non-canonical points, S &ge; L).
 */
class Ed25519DifferentialTest {

  private static final HexFormat HEX = HexFormat.of();
  private static final BigInteger P =
      BigInteger.ONE.shiftLeft(255).subtract(BigInteger.valueOf(19));

  /** The order of the prime-order subgroup, 2^252 + 27742317777372353535851937790883648493. */
  private static final BigInteger L =
      BigInteger.ONE.shiftLeft(252).add(new BigInteger("27742317777372353535851937790883648493"));

  private static final BigInteger D =
      BigInteger.valueOf(-121665).multiply(BigInteger.valueOf(121666).modInverse(P)).mod(P);
  private static final BigInteger SQRT_M1 =
      BigInteger.TWO.modPow(P.subtract(BigInteger.ONE).shiftRight(2), P);

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
    Ed25519PrivateKey key = Ed25519PrivateKey.fromSeed(HEX.parseHex(seed));
    assertEquals(publicKey, key.publicKey().toHex());
    byte[] msg = HEX.parseHex(message);
    assertEquals(signature, HEX.formatHex(key.sign(msg)));
    assertTrue(key.publicKey().verify(msg, HEX.parseHex(signature)));
    assertEquals(publicKey, HEX.formatHex(Jdk.publicKey(HEX.parseHex(seed))));
    assertEquals(signature, HEX.formatHex(Jdk.sign(HEX.parseHex(seed), msg)));
    assertTrue(Jdk.verify(HEX.parseHex(publicKey), msg, HEX.parseHex(signature)));
  }

  @Test
  void keysAndSignaturesMatchTheJdk() {
    Random random = new Random(8032);
    for (int i = 0; i < 2000; i++) {
      byte[] seed = new byte[32];
      random.nextBytes(seed);
      Ed25519PrivateKey own = Ed25519PrivateKey.fromSeed(seed);
      assertArrayEquals(Jdk.publicKey(seed), own.publicKey().raw());
      byte[] message = new byte[random.nextInt(i % 100 == 0 ? 2000 : 200)];
      random.nextBytes(message);
      byte[] signature = own.sign(message);
      assertArrayEquals(Jdk.sign(seed, message), signature);
      assertTrue(Ed25519PublicKey.fromRaw(own.publicKey().raw()).verify(message, signature));
      assertTrue(Jdk.verify(own.publicKey().raw(), message, signature));
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
    Ed25519PrivateKey key = Ed25519PrivateKey.fromSeed(new byte[32]);
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
    List<byte[]> smallOrder = smallOrderEncodings();
    int jdkOnly = 0;
    for (byte[] key : points) {
      boolean smallOrderKey = isSmallOrder(smallOrder, key);
      for (byte[] r : points) {
        for (BigInteger s : scalars) {
          byte[] sig = new byte[64];
          System.arraycopy(r, 0, sig, 0, 32);
          System.arraycopy(littleEndian(s), 0, sig, 32, 32);
          boolean jdk = Jdk.verify(key, message, sig);
          boolean ours = Ed25519PublicKey.fromRaw(key).verify(message, sig);
          String what = "key=" + HEX.formatHex(key) + " sig=" + HEX.formatHex(sig);
          if (smallOrderKey) {
            // BouncyCastle refuses small-order public keys outright; the JDK's cofactorless check
            // accepts some forgeries under them (any message verifies for A = identity, R =
            // identity, S = 0).
            assertFalse(ours, what);
            if (jdk) {
              jdkOnly++;
            }
          } else {
            assertEquals(jdk, ours, what);
            assertFalse(ours, what);
          }
        }
      }
    }
    assertTrue(jdkOnly > 0, "the JDK accepts some signatures under small-order keys");
  }

  /** Whether {@code key} encodes a small-order point (also with x = 0 and the sign bit set). */
  private static boolean isSmallOrder(List<byte[]> smallOrder, byte[] key) {
    for (byte[] p : smallOrder) {
      byte[] signFlipped = p.clone();
      signFlipped[31] ^= (byte) 0x80;
      if (Arrays.equals(p, key) || Arrays.equals(signFlipped, key)) {
        return true;
      }
    }
    return false;
  }

  @Test
  void mixedOrderKeys() {
    // A valid key plus a torsion point: signatures by the valid key, checked against the sum.
    List<byte[]> torsion = smallOrderEncodings();
    Random random = new Random(88);
    for (int i = 0; i < 64; i++) {
      byte[] seed = new byte[32];
      random.nextBytes(seed);
      Ed25519PrivateKey key = Ed25519PrivateKey.fromSeed(seed);
      byte[] mixed =
          encode(add(decode(key.publicKey().raw()), decode(torsion.get(i % torsion.size()))));
      byte[] message = new byte[16];
      random.nextBytes(message);
      assertSameDecision(mixed, message, key.sign(message), true);
    }
  }

  @Test
  void wrongLengthSignaturesAreRefused() {
    Ed25519PrivateKey key = Ed25519PrivateKey.fromSeed(new byte[32]);
    byte[] signature = key.sign(new byte[0]);
    Ed25519PublicKey pub = Ed25519PublicKey.fromRaw(key.publicKey().raw());
    assertTrue(pub.verify(new byte[0], signature));
    assertFalse(pub.verify(new byte[0], Arrays.copyOf(signature, 63)));
    assertFalse(pub.verify(new byte[0], Arrays.copyOf(signature, 65)));
    assertFalse(pub.verify(new byte[0], new byte[0]));
  }

  /**
   * The eight encodings of points of order dividing 8 (identity; order 2; the two of order 4; the
   * four of order 8), checked here to be exactly that: each is on the curve and [8] P is the
   * identity.
   */
  private static List<byte[]> smallOrderEncodings() {
    List<byte[]> out = new ArrayList<>();
    for (String hex :
        List.of(
            "0100000000000000000000000000000000000000000000000000000000000000",
            "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
            "0000000000000000000000000000000000000000000000000000000000000000",
            "0000000000000000000000000000000000000000000000000000000000000080",
            "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
            "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
            "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
            "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85")) {
      byte[] encoding = HEX.parseHex(hex);
      BigInteger[] p = decode(encoding);
      BigInteger[] q = p;
      for (int i = 0; i < 3; i++) {
        q = add(q, q);
      }
      assertArrayEquals(new BigInteger[] {BigInteger.ZERO, BigInteger.ONE}, q, hex);
      assertArrayEquals(encoding, encode(p), hex);
      out.add(encoding);
    }
    return out;
  }

  /** Affine edwards25519 point {x, y} of a canonical encoding (test-only reference arithmetic). */
  private static BigInteger[] decode(byte[] encoding) {
    byte[] yBytes = encoding.clone();
    int sign = (yBytes[31] >> 7) & 1;
    yBytes[31] &= 0x7f;
    BigInteger y = fromLittleEndian(yBytes);
    BigInteger y2 = y.multiply(y).mod(P);
    BigInteger u = y2.subtract(BigInteger.ONE).mod(P);
    BigInteger v = D.multiply(y2).add(BigInteger.ONE).mod(P);
    BigInteger x2 = u.multiply(v.modInverse(P)).mod(P);
    BigInteger x = x2.modPow(P.add(BigInteger.valueOf(3)).shiftRight(3), P);
    if (!x.multiply(x).mod(P).equals(x2)) {
      x = x.multiply(SQRT_M1).mod(P);
    }
    assertEquals(x2, x.multiply(x).mod(P), "not on the curve: " + HEX.formatHex(encoding));
    if (x.testBit(0) != (sign == 1)) {
      x = P.subtract(x).mod(P);
    }
    return new BigInteger[] {x, y};
  }

  private static byte[] encode(BigInteger[] point) {
    byte[] out = littleEndian(point[1]);
    if (point[0].testBit(0)) {
      out[31] |= (byte) 0x80;
    }
    return out;
  }

  /** Twisted Edwards addition (a = -1), affine. */
  private static BigInteger[] add(BigInteger[] p, BigInteger[] q) {
    BigInteger t = D.multiply(p[0]).multiply(q[0]).multiply(p[1]).multiply(q[1]).mod(P);
    BigInteger x =
        p[0].multiply(q[1])
            .add(q[0].multiply(p[1]))
            .multiply(BigInteger.ONE.add(t).modInverse(P))
            .mod(P);
    BigInteger y =
        p[1].multiply(q[1])
            .add(p[0].multiply(q[0]))
            .multiply(BigInteger.ONE.subtract(t).mod(P).modInverse(P))
            .mod(P);
    return new BigInteger[] {x, y};
  }

  /** Both implementations decide alike; returns the decision. */
  private static boolean assertSameDecision(
      byte[] publicKey, byte[] message, byte[] signature, boolean anyDecision) {
    boolean jdk = Jdk.verify(publicKey, message, signature);
    boolean own = Ed25519PublicKey.fromRaw(publicKey).verify(message, signature);
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

  /** The JDK provider's Ed25519, the reference the differential checks compare against. */
  static final class Jdk {
    private static final byte[] PKCS8_PREFIX =
        HexFormat.of().parseHex("302e020100300506032b657004220420");
    private static final byte[] X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    private Jdk() {}

    static byte[] publicKey(byte[] seed) {
      try {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
        generator.initialize(
            NamedParameterSpec.ED25519,
            new SecureRandom() {
              private static final long serialVersionUID = 1L;

              @Override
              public void nextBytes(byte[] bytes) {
                System.arraycopy(seed, 0, bytes, 0, 32);
              }
            });
        byte[] der = generator.generateKeyPair().getPublic().getEncoded();
        return Arrays.copyOfRange(der, X509_PREFIX.length, der.length);
      } catch (GeneralSecurityException e) {
        throw new AssertionError(e);
      }
    }

    static byte[] sign(byte[] seed, byte[] message) {
      try {
        PrivateKey key =
            KeyFactory.getInstance("Ed25519")
                .generatePrivate(new PKCS8EncodedKeySpec(concat(PKCS8_PREFIX, seed)));
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(key);
        signer.update(message);
        return signer.sign();
      } catch (GeneralSecurityException e) {
        throw new AssertionError(e);
      }
    }

    /** The JDK's decision; a key its factory refuses verifies nothing. */
    static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
      try {
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(
            KeyFactory.getInstance("Ed25519")
                .generatePublic(new X509EncodedKeySpec(concat(X509_PREFIX, publicKey))));
        verifier.update(message);
        return verifier.verify(signature);
      } catch (java.security.InvalidKeyException
          | java.security.SignatureException
          | java.security.spec.InvalidKeySpecException e) {
        return false;
      } catch (GeneralSecurityException e) {
        throw new AssertionError(e);
      }
    }

    private static byte[] concat(byte[] a, byte[] b) {
      byte[] out = Arrays.copyOf(a, a.length + b.length);
      System.arraycopy(b, 0, out, a.length, b.length);
      return out;
    }
  }
}
