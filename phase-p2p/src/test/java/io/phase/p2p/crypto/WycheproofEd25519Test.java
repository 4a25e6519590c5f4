package io.phase.p2p.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Every Wycheproof Ed25519 case ({@code ed25519_test.json}: valid signatures, and invalid ones with
 * bad encodings, malleable {@code S}, trailing garbage, truncation) through {@link
 * Ed25519PublicKey#verify}, which is what Noise payloads, receipts and peer records use. Invalid
 * signatures must be refused (false, never an exception); the file has no "acceptable" cases.
 */
class WycheproofEd25519Test {

  @Test
  void everyCaseThroughOurVerify() {
    int valid = 0;
    int invalid = 0;
    for (Wycheproof.Case c : Wycheproof.load("ed25519_test")) {
      assertEquals("edwards25519", c.group().get("publicKey").get("curve").asText());
      byte[] pk = HexFormat.of().parseHex(c.group().get("publicKey").get("pk").asText());
      // A fresh key per case, so a cached decoded point never carries over between cases.
      Ed25519PublicKey key = Ed25519PublicKey.fromRaw(pk);
      boolean verified = key.verify(c.hex("msg"), c.hex("sig"));
      switch (c.result()) {
        case "valid" -> {
          assertEquals(true, verified, c.describe());
          valid++;
        }
        case "invalid" -> {
          assertEquals(false, verified, c.describe());
          invalid++;
        }
        default -> throw new AssertionError("unexpected result in " + c.describe());
      }
      // The libp2p protobuf form decodes to the same key and gives the same answer.
      assertEquals(
          verified,
          Ed25519PublicKey.unmarshal(key.marshal()).verify(c.hex("msg"), c.hex("sig")),
          c.describe());
    }
    assertEquals(88, valid);
    assertEquals(63, invalid);
  }
}
