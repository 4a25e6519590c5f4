package io.phase.p2p.multiformats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class VarintTest {

  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s);
  }

  @Test
  void specVectors() {
    // multiformats/unsigned-varint examples
    assertArrayEquals(hex("01"), Varint.encode(1));
    assertArrayEquals(hex("7f"), Varint.encode(127));
    assertArrayEquals(hex("8001"), Varint.encode(128));
    assertArrayEquals(hex("ff01"), Varint.encode(255));
    assertArrayEquals(hex("ac02"), Varint.encode(300));
    assertArrayEquals(hex("808001"), Varint.encode(16384));
    assertArrayEquals(hex("00"), Varint.encode(0));
    assertArrayEquals(hex("ffffffffffffffff7f"), Varint.encode(Long.MAX_VALUE));
    assertEquals(new Varint.Decoded(300, 2), Varint.decode(hex("ac02"), 0, 2));
    assertEquals(
        new Varint.Decoded(Long.MAX_VALUE, 9), Varint.decode(hex("ffffffffffffffff7f"), 0, 9));
  }

  @Test
  void roundTrips() {
    long[] values = {0, 1, 127, 128, 16383, 16384, 1L << 35, (1L << 56) - 1, Long.MAX_VALUE};
    for (long v : values) {
      byte[] enc = Varint.encode(v);
      assertEquals(enc.length, Varint.encodedLength(v));
      assertEquals(new Varint.Decoded(v, enc.length), Varint.decode(enc, 0, enc.length));
    }
  }

  @Test
  void rejectsNonMinimalTruncatedAndTooLong() {
    assertThrows(IllegalArgumentException.class, () -> Varint.decode(hex("8000"), 0, 2));
    assertThrows(IllegalArgumentException.class, () -> Varint.decode(hex("ff00"), 0, 2));
    assertThrows(IllegalArgumentException.class, () -> Varint.decode(hex("818000"), 0, 3));
    assertThrows(IllegalArgumentException.class, () -> Varint.decode(hex("80"), 0, 1));
    assertThrows(IllegalArgumentException.class, () -> Varint.decode(hex(""), 0, 0));
    assertThrows(
        IllegalArgumentException.class, () -> Varint.decode(hex("ffffffffffffffffff01"), 0, 10));
    assertThrows(
        IllegalArgumentException.class, () -> Varint.decode(hex("808080808080808080"), 0, 9));
    assertThrows(IllegalArgumentException.class, () -> Varint.encode(-1));
  }

  @Test
  void readFromBufferIsIncremental() {
    ByteBuffer partial = ByteBuffer.wrap(hex("ac"));
    assertEquals(-1, Varint.read(partial));
    assertEquals(0, partial.position());
    ByteBuffer full = ByteBuffer.wrap(hex("ac02ff"));
    assertEquals(300, Varint.read(full));
    assertEquals(2, full.position());
    assertThrows(IllegalArgumentException.class, () -> Varint.read(ByteBuffer.wrap(hex("8000"))));
    assertThrows(
        IllegalArgumentException.class,
        () -> Varint.read(ByteBuffer.wrap(hex("ffffffffffffffffff"))));
  }
}
