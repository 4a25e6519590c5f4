package io.phase.p2p.multiformats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class MultihashTest {

  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s);
  }

  @Test
  void sha256OfKnownInput() {
    Multihash mh = Multihash.sha256("hello world".getBytes(StandardCharsets.US_ASCII));
    assertEquals(
        "1220b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9",
        HexFormat.of().formatHex(mh.toBytes()));
    assertEquals(mh, Multihash.decode(mh.toBytes()));
  }

  @Test
  void identityRoundTrip() {
    Multihash mh = Multihash.identity(hex("0102"));
    assertArrayEquals(hex("00020102"), mh.toBytes());
    assertEquals(mh, Multihash.decode(hex("00020102")));
    assertArrayEquals(hex("0102"), Multihash.decode(hex("00020102")).digest());
    assertArrayEquals(hex("0000"), Multihash.identity(new byte[0]).toBytes());
  }

  @Test
  void rejectsMalformed() {
    assertThrows(IllegalArgumentException.class, () -> Multihash.decode(hex("")));
    assertThrows(IllegalArgumentException.class, () -> Multihash.decode(hex("00")));
    assertThrows(IllegalArgumentException.class, () -> Multihash.decode(hex("000201")));
    assertThrows(IllegalArgumentException.class, () -> Multihash.decode(hex("00020102ff")));
    assertThrows(IllegalArgumentException.class, () -> Multihash.decode(hex("1201ff")));
    assertThrows(IllegalArgumentException.class, () -> Multihash.decode(hex("1302aabb")));
    assertThrows(IllegalArgumentException.class, () -> Multihash.decode(hex("80000100")));
    assertThrows(IllegalArgumentException.class, () -> Multihash.decode(hex("00ffffffff0f")));
    assertThrows(IllegalArgumentException.class, () -> Multihash.identity(new byte[129]));
    assertThrows(IllegalArgumentException.class, () -> Multihash.of(Multihash.SHA2_256, hex("00")));
  }
}
