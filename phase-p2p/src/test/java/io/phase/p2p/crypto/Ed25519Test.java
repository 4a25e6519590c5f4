package io.phase.p2p.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class Ed25519Test {

  private static final HexFormat HEX = HexFormat.of();

  // RFC 8032 section 7.1, TEST 1
  private static final String RFC_SEED =
      "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
  private static final String RFC_PUBLIC =
      "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
  private static final String RFC_SIGNATURE =
      "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
          + "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";

  // libp2p peer-ids spec test vectors
  private static final String LIBP2P_PRIVATE =
      "080112407e0830617c4a7de83925dfb2694556b12936c477a0e1feb2e148ec9da60fee7d"
          + "1ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e";
  private static final String LIBP2P_PUBLIC =
      "080112201ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e";

  @Test
  void rfc8032TestVector1() {
    Ed25519PrivateKey key = Ed25519PrivateKey.fromSeed(HEX.parseHex(RFC_SEED));
    assertEquals(RFC_PUBLIC, key.publicKey().toHex());
    byte[] signature = key.sign(new byte[0]);
    assertEquals(RFC_SIGNATURE, HEX.formatHex(signature));
    Ed25519PublicKey pub = Ed25519PublicKey.fromRaw(HEX.parseHex(RFC_PUBLIC));
    assertTrue(pub.verify(new byte[0], HEX.parseHex(RFC_SIGNATURE)));
    assertFalse(pub.verify(new byte[] {0}, HEX.parseHex(RFC_SIGNATURE)));
  }

  @Test
  void libp2pSpecVectors() {
    Ed25519PrivateKey key = Ed25519PrivateKey.unmarshal(HEX.parseHex(LIBP2P_PRIVATE));
    assertEquals(LIBP2P_PUBLIC, HEX.formatHex(key.publicKey().marshal()));
    assertEquals(LIBP2P_PRIVATE, HEX.formatHex(key.marshal()));
    Ed25519PublicKey pub = Ed25519PublicKey.unmarshal(HEX.parseHex(LIBP2P_PUBLIC));
    assertEquals(key.publicKey(), pub);
    assertEquals(pub.hashCode(), key.publicKey().hashCode());
  }

  @Test
  void signVerifyRoundTripAndTampering() {
    Ed25519PrivateKey key = Ed25519PrivateKey.generate();
    byte[] message = "phase".getBytes(StandardCharsets.UTF_8);
    byte[] signature = key.sign(message);
    assertEquals(64, signature.length);
    assertTrue(key.publicKey().verify(message, signature));
    for (int i = 0; i < signature.length; i++) {
      byte[] bad = signature.clone();
      bad[i] ^= 1;
      assertFalse(key.publicKey().verify(message, bad), "flipped signature byte " + i);
    }
    assertFalse(key.publicKey().verify(message, new byte[63]));
    assertFalse(Ed25519PrivateKey.generate().publicKey().verify(message, signature));
    Ed25519PrivateKey again = Ed25519PrivateKey.unmarshal(key.marshal());
    assertEquals(key.publicKey(), again.publicKey());
    assertFalse(key.toString().contains(HEX.formatHex(key.marshal()).substring(8, 72)));
  }

  @Test
  void rawJdkGeneratedKeyRoundTrips() throws Exception {
    KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    Ed25519PublicKey pub = Ed25519PublicKey.fromJdk(pair.getPublic());
    Ed25519PublicKey again = Ed25519PublicKey.fromRaw(pub.raw());
    assertEquals(pub, again);
    assertArrayEquals(pair.getPublic().getEncoded(), again.toJdk().getEncoded());
    java.security.Signature signer = java.security.Signature.getInstance("Ed25519");
    signer.initSign(pair.getPrivate());
    signer.update(new byte[] {1, 2, 3});
    assertTrue(again.verify(new byte[] {1, 2, 3}, signer.sign()));
  }

  @Test
  void publicKeyUnmarshalIsStrict() {
    byte[] good = HEX.parseHex(LIBP2P_PUBLIC);
    byte[] rsa = good.clone();
    rsa[1] = 0;
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Ed25519PublicKey.unmarshal(rsa));
    assertTrue(e.getMessage().contains("RSA"), e.getMessage());
    byte[] secp = good.clone();
    secp[1] = 2;
    assertThrows(IllegalArgumentException.class, () -> Ed25519PublicKey.unmarshal(secp));
    byte[] trailing = new byte[good.length + 1];
    System.arraycopy(good, 0, trailing, 0, good.length);
    assertThrows(IllegalArgumentException.class, () -> Ed25519PublicKey.unmarshal(trailing));
    byte[] shortLen = good.clone();
    shortLen[3] = 31;
    assertThrows(IllegalArgumentException.class, () -> Ed25519PublicKey.unmarshal(shortLen));
    byte[] truncated = java.util.Arrays.copyOf(good, 35);
    assertThrows(IllegalArgumentException.class, () -> Ed25519PublicKey.unmarshal(truncated));
    byte[] wrongTag = good.clone();
    wrongTag[0] = 0x10;
    assertThrows(IllegalArgumentException.class, () -> Ed25519PublicKey.unmarshal(wrongTag));
    byte[] swapped = good.clone();
    swapped[2] = 0x1a;
    assertThrows(IllegalArgumentException.class, () -> Ed25519PublicKey.unmarshal(swapped));
    assertThrows(IllegalArgumentException.class, () -> Ed25519PublicKey.unmarshal(new byte[0]));
    assertThrows(IllegalArgumentException.class, () -> Ed25519PublicKey.fromRaw(new byte[31]));
  }

  @Test
  void privateKeyUnmarshalIsStrict() {
    byte[] good = HEX.parseHex(LIBP2P_PRIVATE);
    byte[] mismatched = good.clone();
    mismatched[good.length - 1] ^= 1;
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Ed25519PrivateKey.unmarshal(mismatched));
    assertTrue(e.getMessage().contains("does not match"), e.getMessage());
    byte[] trailing = java.util.Arrays.copyOf(good, good.length + 1);
    assertThrows(IllegalArgumentException.class, () -> Ed25519PrivateKey.unmarshal(trailing));
    byte[] wrongType = good.clone();
    wrongType[1] = 2;
    assertThrows(IllegalArgumentException.class, () -> Ed25519PrivateKey.unmarshal(wrongType));
    assertThrows(
        IllegalArgumentException.class,
        () -> Ed25519PrivateKey.unmarshal(HEX.parseHex(LIBP2P_PUBLIC)));
    assertThrows(IllegalArgumentException.class, () -> Ed25519PrivateKey.fromSeed(new byte[33]));
  }
}
