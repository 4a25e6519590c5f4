package io.phase.p2p.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.phase.p2p.crypto.Wycheproof;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Every Wycheproof ChaCha20-Poly1305 case ({@code chacha20_poly1305_test.json}) through {@link
 * JdkNoiseAead}, the AEAD Noise uses: valid cases seal to {@code ct ‖ tag} and open to {@code msg};
 * invalid ones (modified tags) fail to open with {@link NoiseException}; nonces other than 96 bits
 * are refused. Cases whose nonce has Noise's form (4 zero bytes, then a little-endian counter) also
 * go through the counter API and, without associated data, through the in-place calls of {@link
 * CipherState}'s data path.
 */
class WycheproofChaCha20Poly1305Test {

  @Test
  void everyCaseThroughOurAead() throws Exception {
    int valid = 0;
    int invalid = 0;
    int noiseForm = 0;
    for (Wycheproof.Case c : Wycheproof.load("chacha20_poly1305_test")) {
      byte[] key = c.hex("key");
      byte[] iv = c.hex("iv");
      byte[] ad = c.hex("aad");
      byte[] msg = c.hex("msg");
      byte[] sealed = concat(c.hex("ct"), c.hex("tag"));
      assertEquals(128, c.group().get("tagSize").asInt(), c.describe());
      if (c.group().get("ivSize").asInt() != 96) {
        assertEquals("invalid", c.result(), c.describe());
        assertThrows(IllegalArgumentException.class, () -> new JdkNoiseAead(key).seal(iv, ad, msg));
        assertThrows(
            IllegalArgumentException.class, () -> new JdkNoiseAead(key).open(iv, ad, sealed));
        invalid++;
        continue;
      }
      boolean counterForm = iv[0] == 0 && iv[1] == 0 && iv[2] == 0 && iv[3] == 0;
      long counter = 0;
      for (int i = 0; i < 8; i++) {
        counter |= (iv[4 + i] & 0xffL) << (8 * i);
      }
      long nonce = counter;
      switch (c.result()) {
        case "valid" -> {
          assertArrayEquals(sealed, new JdkNoiseAead(key).seal(iv, ad, msg), c.describe());
          assertArrayEquals(msg, new JdkNoiseAead(key).open(iv, ad, sealed), c.describe());
          if (counterForm) {
            assertArrayEquals(sealed, new JdkNoiseAead(key).seal(nonce, ad, msg), c.describe());
            assertArrayEquals(msg, new JdkNoiseAead(key).open(nonce, ad, sealed), c.describe());
            if (ad.length == 0) {
              byte[] buf = Arrays.copyOf(msg, sealed.length);
              assertEquals(
                  sealed.length, new JdkNoiseAead(key).sealInPlace(nonce, buf, 0, msg.length));
              assertArrayEquals(sealed, buf, c.describe());
              assertEquals(
                  msg.length, new JdkNoiseAead(key).openInPlace(nonce, buf, 0, buf.length));
              assertArrayEquals(msg, Arrays.copyOf(buf, msg.length), c.describe());
            }
            noiseForm++;
          }
          valid++;
        }
        case "invalid" -> {
          assertThrows(
              NoiseException.class, () -> new JdkNoiseAead(key).open(iv, ad, sealed), c.describe());
          if (counterForm) {
            assertThrows(
                NoiseException.class,
                () -> new JdkNoiseAead(key).open(nonce, ad, sealed),
                c.describe());
            if (ad.length == 0) {
              byte[] buf = sealed.clone();
              assertThrows(
                  NoiseException.class,
                  () -> new JdkNoiseAead(key).openInPlace(nonce, buf, 0, buf.length),
                  c.describe());
              // The tag is checked first: the buffer still holds the ciphertext.
              assertArrayEquals(sealed, buf, c.describe());
            }
            noiseForm++;
          }
          invalid++;
        }
        default -> throw new AssertionError("unexpected result in " + c.describe());
      }
    }
    assertEquals(256, valid);
    assertEquals(69, invalid);
    assertEquals(10, noiseForm);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
