package io.phase.p2p.multiformats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MultibaseTest {

  @Test
  void rfc4648Vectors() {
    String[][] vectors = {
      {"", "b"},
      {"f", "bmy"},
      {"fo", "bmzxq"},
      {"foo", "bmzxw6"},
      {"foob", "bmzxw6yq"},
      {"fooba", "bmzxw6ytb"},
      {"foobar", "bmzxw6ytboi"},
    };
    for (String[] v : vectors) {
      byte[] raw = v[0].getBytes(StandardCharsets.US_ASCII);
      assertEquals(v[1], Multibase.encodeBase32(raw));
      if (raw.length > 0) {
        assertArrayEquals(raw, Multibase.decode(v[1]));
      }
    }
    assertArrayEquals(
        new byte[] {0, 0, 1}, Multibase.decode(Multibase.encodeBase58(new byte[] {0, 0, 1})));
  }

  @Test
  void roundTripsRandomInput() {
    Random random = new Random(7);
    for (int i = 0; i < 300; i++) {
      byte[] data = new byte[1 + random.nextInt(50)];
      random.nextBytes(data);
      assertArrayEquals(data, Multibase.decode(Multibase.encodeBase32(data)));
    }
  }

  @Test
  void rejectsBadInput() {
    assertThrows(IllegalArgumentException.class, () -> Multibase.decode("b"));
    assertThrows(IllegalArgumentException.class, () -> Multibase.decode("BMZXW6"));
    assertThrows(IllegalArgumentException.class, () -> Multibase.decode("bMZXW6"));
    assertThrows(IllegalArgumentException.class, () -> Multibase.decode("bmzxw6==="));
    assertThrows(IllegalArgumentException.class, () -> Multibase.decode("bmz"));
    assertThrows(IllegalArgumentException.class, () -> Multibase.decode("bmz1"));
    // "bmz" has non-zero trailing bits: 'z' = 25 = 11001, 2 leftover bits "01".
    assertThrows(IllegalArgumentException.class, () -> Multibase.decode("bmz"));
    assertThrows(IllegalArgumentException.class, () -> Multibase.decode("mZm9v"));
    assertThrows(IllegalArgumentException.class, () -> Multibase.decode("b" + "a".repeat(1024)));
  }
}
