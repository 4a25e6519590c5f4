package io.phase.p2p.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import javax.crypto.KeyAgreement;
import org.junit.jupiter.api.Test;

/**
 * {@link X25519} (BouncyCastle's RFC 7748 X25519) against RFC 7748's vectors and, differentially,
 * against the JDK's XDH; small-order peer keys (all-zero secret) are refused.
 */
class X25519Test {

  private static final HexFormat HEX = HexFormat.of();
  private static final BigInteger P =
      BigInteger.ONE.shiftLeft(255).subtract(BigInteger.valueOf(19));

  @Test
  void rfc7748ScalarMultiplicationVectors() throws Exception {
    check(
        "a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
        "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c",
        "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552");
    check(
        "4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d",
        "e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493",
        "95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957");
  }

  private static void check(String scalar, String u, String expected) throws Exception {
    byte[] k = HEX.parseHex(scalar);
    byte[] uBytes = HEX.parseHex(u);
    assertEquals(expected, HEX.formatHex(ours(k, uBytes)));
    assertEquals(expected, HEX.formatHex(jdk(k, uBytes)));
  }

  @Test
  void rfc7748IteratedVectors() {
    byte[] k = new byte[32];
    k[0] = 9;
    byte[] u = k.clone();
    for (int i = 1; i <= 1000; i++) {
      byte[] next = ours(k, u);
      u = k;
      k = next;
      if (i == 1) {
        assertEquals(
            "422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079", HEX.formatHex(k));
      }
    }
    assertEquals(
        "684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51", HEX.formatHex(k));
  }

  @Test
  void rfc7748DiffieHellmanVector() throws Exception {
    byte[] alice = HEX.parseHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
    byte[] bob = HEX.parseHex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
    byte[] alicePublic = base(alice);
    byte[] bobPublic = base(bob);
    assertEquals(
        "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a",
        HEX.formatHex(alicePublic));
    assertEquals(
        "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f",
        HEX.formatHex(bobPublic));
    String shared = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";
    assertEquals(shared, HEX.formatHex(ours(alice, bobPublic)));
    assertEquals(shared, HEX.formatHex(ours(bob, alicePublic)));
    assertEquals(shared, HEX.formatHex(jdk(alice, bobPublic)));
  }

  @Test
  void baseMultiplicationMatchesLadderAndJdk() throws Exception {
    Random random = new Random(7748);
    byte[] nine = new byte[32];
    nine[0] = 9;
    for (int i = 0; i < 1000; i++) {
      byte[] k = new byte[32];
      random.nextBytes(k);
      byte[] viaTable = base(k);
      assertArrayEquals(ours(k, nine), viaTable);
      if (i % 4 == 0) {
        assertArrayEquals(jdk(k, nine), viaTable);
      }
    }
  }

  @Test
  void agreementMatchesJdkOnRandomAndOutOfRangeCoordinates() throws Exception {
    Random random = new Random(25519);
    for (int i = 0; i < 3000; i++) {
      byte[] k = new byte[32];
      random.nextBytes(k);
      byte[] u = new byte[32];
      random.nextBytes(u);
      switch (i % 6) {
        case 0 -> u[31] |= (byte) 0x80; // top bit set: ignored
        case 1 -> u = littleEndian(P.add(BigInteger.valueOf(random.nextInt(19)))); // p <= u < 2^255
        case 2 -> {
          u = littleEndian(P.add(BigInteger.valueOf(random.nextInt(19))));
          u[31] |= (byte) 0x80;
        }
        case 3 -> u = littleEndian(P.subtract(BigInteger.valueOf(1 + random.nextInt(64))));
        case 4 -> u = littleEndian(BigInteger.valueOf(random.nextInt(64)));
        default -> {}
      }
      assertSameAsJdk(k, u);
    }
  }

  @Test
  void smallOrderCoordinatesGiveZeroWhereTheJdkRefuses() throws Exception {
    // u = 0, 1 and p - 1 and their out-of-range aliases; the order-8 points.
    BigInteger order8a =
        new BigInteger(
            "325606250916557431795983626356110631294008115727848805560023387167927233504");
    BigInteger order8b =
        new BigInteger(
            "39382357235489614581723060781553021112529911719440698176882885853963445705823");
    BigInteger[] values = {
      BigInteger.ZERO,
      BigInteger.ONE,
      P.subtract(BigInteger.ONE),
      P,
      P.add(BigInteger.ONE),
      order8a,
      order8b,
      order8a.add(P),
      order8b.add(P)
    };
    Random random = new Random(1);
    for (BigInteger value : values) {
      if (value.bitLength() > 255) {
        continue;
      }
      byte[] u = littleEndian(value);
      for (int i = 0; i < 5; i++) {
        byte[] k = new byte[32];
        random.nextBytes(k);
        assertSameAsJdk(k, u);
        u[31] ^= (byte) 0x80;
        assertSameAsJdk(k, u);
      }
    }
  }

  @Test
  void rejectsWrongLengths() {
    byte[] k = X25519.generate().privateKey();
    assertThrows(NoiseException.class, () -> X25519.dh(k, new byte[31]));
    assertThrows(NoiseException.class, () -> X25519.dh(k, new byte[33]));
    assertThrows(IllegalArgumentException.class, () -> X25519.dh(new byte[31], new byte[32]));
    assertThrows(IllegalArgumentException.class, () -> X25519.fromPrivate(new byte[33]));
  }

  @Test
  void generatedKeysAgreeWithEachOtherAndTheJdk() throws Exception {
    for (int i = 0; i < 200; i++) {
      X25519.KeyPair a = X25519.generate();
      X25519.KeyPair b = X25519.generate();
      assertArrayEquals(X25519.fromPrivate(a.privateKey()).publicKey(), a.publicKey());
      byte[] secret = X25519.dh(a.privateKey(), b.publicKey());
      assertArrayEquals(X25519.dh(b.privateKey(), a.publicKey()), secret);
      assertArrayEquals(jdk(a.privateKey(), b.publicKey()), secret);
    }
  }

  /** X25519.dh, with the all-zero secret it refuses written as zeros (as RFC 7748 computes it). */
  private static byte[] ours(byte[] k, byte[] u) {
    try {
      return X25519.dh(k, u);
    } catch (NoiseException e) {
      assertEquals("X25519 shared secret is zero (small-order public key)", e.getMessage());
      return new byte[32];
    }
  }

  private static byte[] base(byte[] k) {
    return X25519.fromPrivate(k).publicKey();
  }

  /** Our result equals the JDK's, or is all zero exactly where the JDK refuses the point. */
  private static void assertSameAsJdk(byte[] k, byte[] u) throws GeneralSecurityException {
    byte[] ours = ours(k, u);
    byte[] theirs;
    try {
      theirs = jdk(k, u);
    } catch (InvalidKeyException e) {
      theirs = new byte[32]; // the JDK refuses an all-zero result
    }
    assertArrayEquals(theirs, ours, () -> "k=" + HEX.formatHex(k) + " u=" + HEX.formatHex(u));
    if (Arrays.equals(ours, new byte[32])) {
      assertThrows(InvalidKeyException.class, () -> jdk(k, u));
    }
  }

  static byte[] jdk(byte[] scalar, byte[] u) throws GeneralSecurityException {
    KeyFactory factory = KeyFactory.getInstance("XDH");
    PrivateKey priv =
        factory.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, scalar.clone()));
    byte[] be = new byte[32];
    for (int i = 0; i < 32; i++) {
      be[i] = u[31 - i];
    }
    be[0] &= 0x7f;
    PublicKey pub =
        factory.generatePublic(
            new XECPublicKeySpec(NamedParameterSpec.X25519, new BigInteger(1, be)));
    KeyAgreement agreement = KeyAgreement.getInstance("XDH");
    agreement.init(priv);
    agreement.doPhase(pub, true);
    return agreement.generateSecret();
  }

  static byte[] littleEndian(BigInteger value) {
    byte[] be = value.toByteArray();
    byte[] le = new byte[32];
    for (int i = 0; i < 32 && i < be.length; i++) {
      le[i] = be[be.length - 1 - i];
    }
    return le;
  }
}
