package io.phase.p2p.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.ChaCha20ParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.ChaCha7539Engine;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.junit.jupiter.api.Test;

/**
 * Every test vector of RFC 8439 against the ChaCha20-Poly1305 implementations {@link NoiseAead}
 * uses: BouncyCastle's (the ChaCha20 block function and stream, Poly1305, the AEAD) and the JDK
 * provider's (ChaCha20 stream and AEAD; the JDK does not expose Poly1305 alone).
 */
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

  @Test
  void everyRfc8439VectorPasses() throws Exception {
    Map<String, Integer> counts = new TreeMap<>();
    for (String[] v : vectors()) {
      String kind = v[0];
      String name = v[1];
      counts.merge(kind, 1, Integer::sum);
      switch (kind) {
        case "block" -> {
          byte[] zeros = new byte[64];
          int counter = Integer.parseInt(v[4]);
          assertEquals(v[5], HEX.formatHex(bcChaCha(hex(v[2]), hex(v[3]), counter, zeros)), name);
          assertEquals(v[5], HEX.formatHex(jdkChaCha(hex(v[2]), hex(v[3]), counter, zeros)), name);
        }
        case "chacha20" -> {
          int counter = Integer.parseInt(v[4]);
          byte[] plain = hex(v[5]);
          assertEquals(v[6], HEX.formatHex(bcChaCha(hex(v[2]), hex(v[3]), counter, plain)), name);
          assertEquals(v[6], HEX.formatHex(jdkChaCha(hex(v[2]), hex(v[3]), counter, plain)), name);
        }
        case "poly1305" -> {
          Poly1305 mac = new Poly1305();
          mac.init(new KeyParameter(hex(v[2])));
          byte[] message = hex(v[3]);
          mac.update(message, 0, message.length);
          byte[] tag = new byte[16];
          mac.doFinal(tag, 0);
          assertEquals(v[4], HEX.formatHex(tag), name);
        }
        case "polykey" -> {
          // The one-time key is the first 32 bytes of block 0.
          byte[] block = bcChaCha(hex(v[2]), hex(v[3]), 0, new byte[64]);
          assertEquals(v[4], HEX.formatHex(Arrays.copyOf(block, 32)), name);
        }
        case "aead" -> checkAead(name, v);
        default -> throw new AssertionError("unknown vector kind " + kind);
      }
    }
    assertEquals(
        Map.of("aead", 2, "block", 6, "chacha20", 4, "poly1305", 12, "polykey", 4), counts);
  }

  private static void checkAead(String name, String[] v) throws Exception {
    byte[] key = hex(v[2]);
    byte[] nonce = hex(v[3]);
    byte[] ad = hex(v[4]);
    byte[] plain = hex(v[5]);
    String sealed = v[6] + v[7];

    ChaCha20Poly1305 bc = new ChaCha20Poly1305();
    bc.init(true, new AEADParameters(new KeyParameter(key), 128, nonce, ad));
    byte[] out = new byte[plain.length + 16];
    bc.doFinal(out, bc.processBytes(plain, 0, plain.length, out, 0));
    assertEquals(sealed, HEX.formatHex(out), name + " bc seal");
    bc.init(false, new AEADParameters(new KeyParameter(key), 128, nonce, ad));
    byte[] opened = new byte[plain.length];
    bc.doFinal(opened, bc.processBytes(out, 0, out.length, opened, 0));
    assertArrayEquals(plain, opened, name + " bc open");
    out[out.length - 1] ^= 1;
    bc.init(false, new AEADParameters(new KeyParameter(key), 128, nonce, ad));
    byte[] forged = out;
    assertThrows(
        InvalidCipherTextException.class,
        () ->
            bc.doFinal(
                new byte[plain.length],
                bc.processBytes(forged, 0, forged.length, new byte[plain.length], 0)),
        name + " bc tampered tag");

    Cipher jdk = Cipher.getInstance("ChaCha20-Poly1305");
    jdk.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ChaCha20"), new IvParameterSpec(nonce));
    jdk.updateAAD(ad);
    assertEquals(sealed, HEX.formatHex(jdk.doFinal(plain)), name + " jdk seal");
    Cipher jdkOpen = Cipher.getInstance("ChaCha20-Poly1305");
    jdkOpen.init(
        Cipher.DECRYPT_MODE, new SecretKeySpec(key, "ChaCha20"), new IvParameterSpec(nonce));
    jdkOpen.updateAAD(ad);
    assertArrayEquals(plain, jdkOpen.doFinal(HEX.parseHex(sealed)), name + " jdk open");
    Cipher jdkForged = Cipher.getInstance("ChaCha20-Poly1305");
    jdkForged.init(
        Cipher.DECRYPT_MODE, new SecretKeySpec(key, "ChaCha20"), new IvParameterSpec(nonce));
    jdkForged.updateAAD(ad);
    assertThrows(AEADBadTagException.class, () -> jdkForged.doFinal(forged), name + " jdk forged");
  }

  private static byte[] bcChaCha(byte[] key, byte[] nonce, int counter, byte[] in) {
    ChaCha7539Engine engine = new ChaCha7539Engine();
    engine.init(true, new ParametersWithIV(new KeyParameter(key), nonce));
    engine.seekTo(64L * Integer.toUnsignedLong(counter));
    byte[] out = new byte[in.length];
    engine.processBytes(in, 0, in.length, out, 0);
    return out;
  }

  private static byte[] jdkChaCha(byte[] key, byte[] nonce, int counter, byte[] in)
      throws GeneralSecurityException {
    Cipher c = Cipher.getInstance("ChaCha20");
    c.init(
        Cipher.ENCRYPT_MODE,
        new SecretKeySpec(key, "ChaCha20"),
        new ChaCha20ParameterSpec(nonce, counter));
    return c.doFinal(in);
  }

  @Test
  void bothNoiseAeadsSealInPlaceAtOffsetsAndRefuseEveryFlippedBit() throws Exception {
    byte[] key = HEX.parseHex("0f".repeat(32));
    byte[] plain = new byte[77];
    Arrays.fill(plain, (byte) 'x');
    byte[] expected = new JdkNoiseAead(key).seal(5, new byte[0], plain);
    for (boolean jdk : new boolean[] {false, true}) {
      NoiseAead sealer = jdk ? new JdkNoiseAead(key) : new BcNoiseAead(key);
      byte[] buf = new byte[3 + plain.length + 16 + 5];
      System.arraycopy(plain, 0, buf, 3, plain.length);
      assertEquals(plain.length + 16, sealer.sealInPlace(5, buf, 3, plain.length));
      assertArrayEquals(expected, Arrays.copyOfRange(buf, 3, 3 + expected.length), "jdk=" + jdk);
      for (int bit = 0; bit < expected.length * 8; bit++) {
        byte[] forged = expected.clone();
        forged[bit / 8] ^= (byte) (1 << (bit % 8));
        NoiseAead opener = jdk ? new JdkNoiseAead(key) : new BcNoiseAead(key);
        assertThrows(
            NoiseException.class,
            () -> opener.openInPlace(5, forged, 0, forged.length),
            "jdk=" + jdk + " bit " + bit);
      }
      NoiseAead opener = jdk ? new JdkNoiseAead(key) : new BcNoiseAead(key);
      assertThrows(
          NoiseException.class, () -> opener.open(6, new byte[0], expected), "another nonce");
      NoiseAead again = jdk ? new JdkNoiseAead(key) : new BcNoiseAead(key);
      assertThrows(NoiseException.class, () -> again.open(5, new byte[1], expected), "other ad");
      byte[] copy = expected.clone();
      NoiseAead good = jdk ? new JdkNoiseAead(key) : new BcNoiseAead(key);
      assertEquals(plain.length, good.openInPlace(5, copy, 0, copy.length));
      assertArrayEquals(plain, Arrays.copyOf(copy, plain.length));
    }
    assertThrows(IllegalArgumentException.class, () -> new BcNoiseAead(new byte[31]));
    assertThrows(IllegalArgumentException.class, () -> new JdkNoiseAead(new byte[31]));
  }
}
