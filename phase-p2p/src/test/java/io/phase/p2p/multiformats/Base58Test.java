package io.phase.p2p.multiformats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Base58Test {

  @Test
  void knownVectors() {
    // draft-msporny-base58 examples
    assertEquals(
        "2NEpo7TZRRrLZSi2U", Base58.encode("Hello World!".getBytes(StandardCharsets.US_ASCII)));
    assertEquals(
        "USm3fpXnKG5EUBx2ndxBDMPVciP5hGey2Jh4NDv6gmeo1LkMeiKrLJUUBk6Z",
        Base58.encode(
            "The quick brown fox jumps over the lazy dog.".getBytes(StandardCharsets.US_ASCII)));
    assertEquals("11233QC4", Base58.encode(HexFormat.of().parseHex("0000287fb4cd")));
    assertArrayEquals(HexFormat.of().parseHex("0000287fb4cd"), Base58.decode("11233QC4"));
    assertEquals("", Base58.encode(new byte[0]));
    assertEquals("1", Base58.encode(new byte[1]));
  }

  @Test
  void roundTripsRandomInput() {
    Random random = new Random(42);
    for (int i = 0; i < 500; i++) {
      byte[] data = new byte[1 + random.nextInt(60)];
      random.nextBytes(data);
      if (random.nextBoolean()) {
        data[0] = 0;
      }
      assertArrayEquals(data, Base58.decode(Base58.encode(data)));
    }
  }

  @Test
  void rejectsBadInput() {
    assertThrows(IllegalArgumentException.class, () -> Base58.decode(""));
    assertThrows(IllegalArgumentException.class, () -> Base58.decode("abc0"));
    assertThrows(IllegalArgumentException.class, () -> Base58.decode("abcO"));
    assertThrows(IllegalArgumentException.class, () -> Base58.decode("abcl"));
    assertThrows(IllegalArgumentException.class, () -> Base58.decode("abcI"));
    assertThrows(IllegalArgumentException.class, () -> Base58.decode("ab é"));
    assertThrows(IllegalArgumentException.class, () -> Base58.decode("2".repeat(1025)));
    assertThrows(IllegalArgumentException.class, () -> Base58.encode(new byte[513]));
  }
}
