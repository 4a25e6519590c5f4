package io.phase.p2p.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phase.p2p.crypto.Wycheproof;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every Wycheproof X25519 case ({@code x25519_test.json}) through {@link X25519#dh}, and every
 * low-order public key of the file through a Noise XX handshake on both sides.
 *
 * <p>Wycheproof marks no X25519 case invalid; "acceptable" cases are those an implementation may
 * take or refuse. We take all of them (non-canonical and twist points are reduced as RFC 7748 says)
 * except those whose shared secret is all zero, which {@link X25519#dh} refuses: a Noise handshake
 * must not mix a key a small-order peer point forces.
 */
class WycheproofX25519Test {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void everyCaseThroughOurX25519() throws Exception {
    List<Wycheproof.Case> cases = Wycheproof.load("x25519_test");
    int computed = 0;
    int refused = 0;
    for (Wycheproof.Case c : cases) {
      assertEquals("curve25519", c.group().get("curve").asText());
      byte[] priv = c.hex("private");
      byte[] pub = c.hex("public");
      byte[] shared = c.hex("shared");
      boolean zero = Arrays.equals(shared, new byte[32]);
      switch (c.result()) {
        case "valid" -> {
          assertTrue(!zero, c.describe());
          assertArrayEquals(shared, X25519.dh(priv, pub), c.describe());
          computed++;
        }
        case "acceptable" -> {
          if (zero) {
            NoiseException e =
                assertThrows(NoiseException.class, () -> X25519.dh(priv, pub), c.describe());
            assertTrue(e.getMessage().contains("small-order"), e.getMessage());
            refused++;
          } else {
            assertArrayEquals(shared, X25519.dh(priv, pub), c.describe());
            computed++;
          }
        }
        default -> throw new AssertionError("unexpected result in " + c.describe());
      }
    }
    assertEquals(518, computed + refused);
    assertEquals(31, refused, "cases flagged ZeroSharedSecret");
  }

  /** The public keys of the file's cases flagged LowOrderPublic, deduplicated. */
  private static List<byte[]> lowOrderPublicKeys() {
    Set<String> hex = new TreeSet<>();
    for (Wycheproof.Case c : Wycheproof.load("x25519_test")) {
      if (c.flags().contains("LowOrderPublic")) {
        hex.add(c.test().get("public").asText());
      }
    }
    List<byte[]> keys = new ArrayList<>();
    hex.forEach(h -> keys.add(HEX.parseHex(h)));
    assertTrue(keys.size() >= 10, "low-order keys found: " + keys.size());
    return keys;
  }

  @Test
  void responderRefusesALowOrderEphemeralKey() throws Exception {
    for (byte[] point : lowOrderPublicKeys()) {
      HandshakeState responder = new HandshakeState(false, X25519.generate(), new byte[0]);
      // Message 1 of XX is the initiator's ephemeral key and a plaintext (here empty) payload.
      responder.readMessage(point.clone());
      NoiseException e =
          assertThrows(
              NoiseException.class,
              () -> responder.writeMessage(new byte[0]),
              HEX.formatHex(point));
      assertTrue(e.getMessage().contains("small-order"), e.getMessage());
    }
  }

  @Test
  void initiatorRefusesALowOrderEphemeralKey() throws Exception {
    for (byte[] point : lowOrderPublicKeys()) {
      HandshakeState initiator = new HandshakeState(true, X25519.generate(), new byte[0]);
      initiator.writeMessage(new byte[0]);
      // Message 2: the responder's ephemeral key, then its encrypted static key and payload. The
      // ee agreement comes before any decryption, so the refusal names the key, not the tag.
      byte[] m2 = new byte[32 + 48 + 16];
      System.arraycopy(point, 0, m2, 0, 32);
      NoiseException e =
          assertThrows(NoiseException.class, () -> initiator.readMessage(m2), HEX.formatHex(point));
      assertTrue(e.getMessage().contains("small-order"), e.getMessage());
    }
  }
}
