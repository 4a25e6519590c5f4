package io.phase.p2p.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** {@link ChaCha20Poly1305} and {@link Poly1305} against every test vector of RFC 8439. */
class ChaCha20Poly1305Test {
  private static final HexFormat HEX = HexFormat.of();

  /** The vectors file, pre-parsed: one row of hex fields per vector ("-" is empty). */
  private static List<String[]> vectors() throws IOException {
    List<String[]> rows = new ArrayList<>();
    try (InputStream in = ChaCha20Poly1305Test.class.getResourceAsStream("rfc8439-vectors.txt");
        BufferedReader r =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (!line.isBlank() && !line.startsWith("#")) {
          rows.add(line.trim().split(" "));
        }
      }
    }
    return rows;
  }

  private static byte[] hex(String field) {
    return field.equals("-") ? new byte[0] : HEX.parseHex(field);
  }

  private static int[] nonce(String field) {
    return ChaCha20Poly1305.nonceWords(hex(field));
  }

  @Test
  void everyRfc8439VectorPasses() throws IOException {
    Map<String, Integer> counts = new TreeMap<>();
    for (String[] v : vectors()) {
      String kind = v[0];
      String name = v[1];
      counts.merge(kind, 1, Integer::sum);
      switch (kind) {
        case "block" -> {
          ChaCha20Poly1305 c = new ChaCha20Poly1305(hex(v[2]));
          int[] n = nonce(v[3]);
          byte[] block = new byte[64];
          c.keyStreamBlock(Integer.parseInt(v[4]), n[0], n[1], n[2], block, 0);
          assertEquals(v[5], HEX.formatHex(block), name);
        }
        case "chacha20" -> {
          ChaCha20Poly1305 c = new ChaCha20Poly1305(hex(v[2]));
          int[] n = nonce(v[3]);
          int counter = Integer.parseInt(v[4]);
          byte[] plain = hex(v[5]);
          byte[] out = new byte[plain.length];
          c.xor(counter, n[0], n[1], n[2], plain, 0, out, 0, plain.length);
          assertEquals(v[6], HEX.formatHex(out), name);
          c.xor(counter, n[0], n[1], n[2], out, 0, out, 0, out.length);
          assertArrayEquals(plain, out, name + " decrypts in place");
        }
        case "poly1305" -> {
          byte[] message = hex(v[3]);
          assertEquals(v[4], HEX.formatHex(mac(hex(v[2]), message, message.length)), name);
        }
        case "polykey" -> {
          ChaCha20Poly1305 c = new ChaCha20Poly1305(hex(v[2]));
          int[] n = nonce(v[3]);
          byte[] block = new byte[64];
          c.keyStreamBlock(0, n[0], n[1], n[2], block, 0);
          assertEquals(v[4], HEX.formatHex(Arrays.copyOf(block, 32)), name);
        }
        case "aead" -> checkAead(name, v);
        default -> throw new AssertionError("unknown vector kind " + kind);
      }
    }
    assertEquals(
        Map.of("aead", 2, "block", 6, "chacha20", 4, "poly1305", 12, "polykey", 4), counts);
  }

  private static void checkAead(String name, String[] v) {
    ChaCha20Poly1305 c = new ChaCha20Poly1305(hex(v[2]));
    int[] n = nonce(v[3]);
    byte[] ad = hex(v[4]);
    byte[] plain = hex(v[5]);
    byte[] sealed = new byte[plain.length + 16];
    c.seal(n[0], n[1], n[2], ad, 0, ad.length, plain, 0, plain.length, sealed, 0);
    assertEquals(v[6] + v[7], HEX.formatHex(sealed), name);
    byte[] opened = new byte[plain.length];
    assertTrue(
        c.open(
            n[0],
            n[1],
            n[2],
            ad,
            0,
            ad.length,
            sealed,
            0,
            plain.length,
            sealed,
            plain.length,
            opened,
            0),
        name);
    assertArrayEquals(plain, opened, name);
  }

  /** Poly1305 of {@code message[0..len)} under {@code key}. */
  private static byte[] mac(byte[] key, byte[] message, int len) {
    Poly1305 p = new Poly1305();
    p.init(key, 0);
    p.updateFinal(message, 0, len);
    byte[] tag = new byte[16];
    p.finish(tag, 0);
    return tag;
  }

  @Test
  void poly1305InstanceIsReusableAcrossMessages() throws IOException {
    Poly1305 p = new Poly1305();
    for (String[] v : vectors()) {
      if (v[0].equals("poly1305")) {
        byte[] message = hex(v[3]);
        p.init(hex(v[2]), 0);
        p.updateFinal(message, 0, message.length);
        byte[] tag = new byte[16];
        p.finish(tag, 0);
        assertEquals(v[4], HEX.formatHex(tag), v[1]);
      }
    }
  }

  @Test
  void sealAndOpenWorkInPlaceAndAtOffsets() {
    ChaCha20Poly1305 c = new ChaCha20Poly1305(HEX.parseHex("42".repeat(32)));
    byte[] ad = "header".getBytes(StandardCharsets.US_ASCII);
    byte[] plain = new byte[1000];
    for (int i = 0; i < plain.length; i++) {
      plain[i] = (byte) (i * 7);
    }
    byte[] expected = new byte[plain.length + 16];
    c.seal(0, 5, 0, ad, 0, ad.length, plain, 0, plain.length, expected, 0);

    byte[] buf = new byte[3 + plain.length + 16 + 5];
    System.arraycopy(plain, 0, buf, 3, plain.length);
    c.seal(0, 5, 0, ad, 0, ad.length, buf, 3, plain.length, buf, 3);
    assertArrayEquals(expected, Arrays.copyOfRange(buf, 3, 3 + expected.length));

    assertTrue(
        c.open(0, 5, 0, ad, 0, ad.length, buf, 3, plain.length, buf, 3 + plain.length, buf, 3));
    assertArrayEquals(plain, Arrays.copyOfRange(buf, 3, 3 + plain.length));
  }

  @Test
  void everyFlippedBitIsRefusedAndNothingIsReleased() {
    ChaCha20Poly1305 c = new ChaCha20Poly1305(HEX.parseHex("0f".repeat(32)));
    byte[] ad = HEX.parseHex("000102030405060708090a0b0c0d0e0f1011");
    byte[] plain = new byte[77];
    Arrays.fill(plain, (byte) 'x');
    byte[] sealed = new byte[plain.length + 16];
    c.seal(0, 1, 2, ad, 0, ad.length, plain, 0, plain.length, sealed, 0);
    byte[] out = new byte[plain.length];
    for (int bit = 0; bit < sealed.length * 8; bit++) {
      byte[] forged = sealed.clone();
      forged[bit / 8] ^= (byte) (1 << (bit % 8));
      Arrays.fill(out, (byte) 0x5a);
      assertFalse(
          c.open(0, 1, 2, ad, 0, ad.length, forged, 0, plain.length, forged, plain.length, out, 0),
          "ciphertext/tag bit " + bit);
      assertTrue(allEqual(out, (byte) 0x5a), "nothing written for bit " + bit);
    }
    for (int bit = 0; bit < ad.length * 8; bit++) {
      byte[] forgedAd = ad.clone();
      forgedAd[bit / 8] ^= (byte) (1 << (bit % 8));
      assertFalse(
          c.open(
              0,
              1,
              2,
              forgedAd,
              0,
              ad.length,
              sealed,
              0,
              plain.length,
              sealed,
              plain.length,
              out,
              0),
          "aad bit " + bit);
    }
    assertFalse(
        c.open(0, 1, 3, ad, 0, ad.length, sealed, 0, plain.length, sealed, plain.length, out, 0),
        "another nonce");
    assertFalse(
        c.open(
            0, 1, 2, ad, 0, ad.length - 1, sealed, 0, plain.length, sealed, plain.length, out, 0),
        "shorter aad");
    assertTrue(
        c.open(0, 1, 2, ad, 0, ad.length, sealed, 0, plain.length, sealed, plain.length, out, 0));
    assertArrayEquals(plain, out);
  }

  @Test
  void rejectsBadKeysNoncesRangesAndCounterWrap() {
    assertThrows(IllegalArgumentException.class, () -> new ChaCha20Poly1305(new byte[31]));
    assertThrows(IllegalArgumentException.class, () -> ChaCha20Poly1305.nonceWords(new byte[8]));
    ChaCha20Poly1305 c = new ChaCha20Poly1305(new byte[32]);
    byte[] buf = new byte[100];
    assertThrows(
        IndexOutOfBoundsException.class,
        () -> c.seal(0, 0, 0, buf, 0, 0, buf, 0, 90, buf, 0),
        "no room for the tag");
    assertThrows(
        IndexOutOfBoundsException.class,
        () -> c.open(0, 0, 0, buf, 0, 0, buf, 0, 90, buf, 90, buf, 0),
        "tag past the end");
    assertThrows(IndexOutOfBoundsException.class, () -> c.xor(1, 0, 0, 0, buf, -1, buf, 0, 10));
    assertThrows(
        IllegalArgumentException.class, () -> c.xor(-1, 0, 0, 0, buf, 0, buf, 0, 65), "wraps");
    c.xor(-1, 0, 0, 0, buf, 0, buf, 0, 64); // the last block of the counter space is fine
  }

  private static boolean allEqual(byte[] b, byte value) {
    for (byte x : b) {
      if (x != value) {
        return false;
      }
    }
    return true;
  }
}
