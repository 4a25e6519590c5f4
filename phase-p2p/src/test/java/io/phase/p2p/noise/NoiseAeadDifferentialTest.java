package io.phase.p2p.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Our ChaCha20-Poly1305 against the JDK's {@code Cipher "ChaCha20-Poly1305"} on random keys,
 * nonces, associated data and lengths 0..70000 (with extra weight around 16- and 64-byte block
 * boundaries), through the array core and through both {@link NoiseAead}s with heap and direct
 * buffers.
 */
class NoiseAeadDifferentialTest {
  private static final long SEED = 0x5eed_c4a2_0b01L;

  @Test
  void ourCoreMatchesTheJdkOnRandomInputs() throws Exception {
    SplittableRandom random = new SplittableRandom(SEED);
    Cipher jdk = Cipher.getInstance("ChaCha20-Poly1305");
    for (int i = 0; i < 3000; i++) {
      byte[] key = bytes(random, 32);
      byte[] nonce = bytes(random, 12);
      byte[] ad = bytes(random, random.nextInt(4) == 0 ? 0 : random.nextInt(100));
      byte[] plain = bytes(random, length(random));
      String what = "iteration " + i + " (seed " + SEED + "), length " + plain.length;

      jdk.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ChaCha20"), new IvParameterSpec(nonce));
      jdk.updateAAD(ad);
      byte[] expected = jdk.doFinal(plain);

      ChaCha20Poly1305 own = new ChaCha20Poly1305(key);
      int[] n = ChaCha20Poly1305.nonceWords(nonce);
      byte[] sealed = new byte[plain.length + 16];
      own.seal(n[0], n[1], n[2], ad, 0, ad.length, plain, 0, plain.length, sealed, 0);
      assertArrayEquals(expected, sealed, what);

      byte[] opened = new byte[plain.length];
      assertEquals(
          true,
          own.open(
              n[0],
              n[1],
              n[2],
              ad,
              0,
              ad.length,
              expected,
              0,
              plain.length,
              expected,
              plain.length,
              opened,
              0),
          what);
      assertArrayEquals(plain, opened, what);
    }
  }

  @Test
  void bothNoiseAeadsAgreeOnEveryBufferKind() throws Exception {
    SplittableRandom random = new SplittableRandom(SEED + 1);
    for (int i = 0; i < 600; i++) {
      byte[] key = bytes(random, 32);
      long nonce = random.nextLong();
      byte[] plain = bytes(random, length(random) % 65520);
      String what = "iteration " + i + ", length " + plain.length;
      // The JDK refuses to reuse a key and nonce on one Cipher, so each JDK call gets its own.
      NoiseAead own = new OwnNoiseAead(key);

      byte[] ad = bytes(random, random.nextInt(40));
      byte[] expected = new JdkNoiseAead(key).seal(nonce, ad, plain);
      assertArrayEquals(expected, own.seal(nonce, ad, plain), what);
      assertArrayEquals(plain, own.open(nonce, ad, expected), what);
      assertArrayEquals(
          plain, new JdkNoiseAead(key).open(nonce, ad, own.seal(nonce, ad, plain)), what);

      boolean directIn = random.nextBoolean();
      boolean directOut = random.nextBoolean();
      ByteBuffer[] pieces = split(random, plain, directIn);
      ByteBuffer sealedOut = buffer(plain.length + 16 + 3, directOut);
      sealedOut.position(3);
      assertEquals(plain.length + 16, own.seal(nonce, pieces, sealedOut), what);
      assertEquals(3 + plain.length + 16, sealedOut.position(), what);
      for (ByteBuffer p : pieces) {
        assertEquals(0, p.remaining(), what + ": inputs are consumed");
      }
      byte[] sealedBytes = new byte[plain.length + 16];
      sealedOut.position(3);
      sealedOut.get(sealedBytes);
      assertArrayEquals(new JdkNoiseAead(key).seal(nonce, new byte[0], plain), sealedBytes, what);

      ByteBuffer ciphertext = buffer(sealedBytes.length, random.nextBoolean());
      ciphertext.put(sealedBytes).flip();
      ByteBuffer plainOut = buffer(plain.length + 1, random.nextBoolean());
      assertEquals(plain.length, own.open(nonce, ciphertext, plainOut), what);
      assertEquals(0, ciphertext.remaining(), what);
      assertEquals(plain.length, plainOut.position(), what);
      byte[] openedBytes = new byte[plain.length];
      plainOut.flip().get(openedBytes);
      assertArrayEquals(plain, openedBytes, what);
    }
  }

  @Test
  void forgedBuffersAreRefusedWithoutReleasingAnything() {
    byte[] key = new byte[32];
    Arrays.fill(key, (byte) 3);
    byte[] plain = new byte[300];
    Arrays.fill(plain, (byte) 'p');
    for (boolean directIn : new boolean[] {false, true}) {
      for (boolean directOut : new boolean[] {false, true}) {
        OwnNoiseAead own = new OwnNoiseAead(key);
        byte[] sealed = own.seal(9, new byte[0], plain);
        for (int at : new int[] {0, 150, sealed.length - 16, sealed.length - 1}) {
          byte[] forged = sealed.clone();
          forged[at] ^= 0x40;
          ByteBuffer in = buffer(forged.length, directIn).put(forged).flip();
          ByteBuffer out = buffer(plain.length, directOut);
          String what = "directIn=" + directIn + " directOut=" + directOut + " at=" + at;
          assertThrows(NoiseException.class, () -> own.open(9, in, out), what);
          assertEquals(0, out.position(), what);
          byte[] left = new byte[plain.length];
          out.get(0, left);
          assertArrayEquals(new byte[plain.length], left, what + ": out holds nothing");
        }
        ByteBuffer shortIn = buffer(15, directIn);
        assertThrows(NoiseException.class, () -> own.open(9, shortIn, buffer(10, directOut)));
        ByteBuffer tooSmall = buffer(plain.length + 15, directOut);
        assertThrows(
            IllegalArgumentException.class,
            () -> own.seal(9, new ByteBuffer[] {ByteBuffer.wrap(plain)}, tooSmall));
      }
    }
  }

  /** Lengths 0..70000: small ones, ones next to a multiple of 64 (or 16), and uniform ones. */
  private static int length(SplittableRandom random) {
    return switch (random.nextInt(4)) {
      case 0 -> random.nextInt(300);
      case 1 -> Math.max(0, 64 * random.nextInt(1, 1094) + random.nextInt(-2, 3));
      case 2 -> Math.max(0, 16 * random.nextInt(1, 4375) + random.nextInt(-1, 2));
      default -> random.nextInt(70001);
    };
  }

  private static ByteBuffer[] split(SplittableRandom random, byte[] data, boolean direct) {
    int parts = 1 + random.nextInt(4);
    ByteBuffer[] out = new ByteBuffer[parts];
    int at = 0;
    for (int p = 0; p < parts; p++) {
      int n = p == parts - 1 ? data.length - at : random.nextInt(data.length - at + 1);
      out[p] = buffer(n, direct).put(data, at, n).flip();
      at += n;
    }
    return out;
  }

  private static ByteBuffer buffer(int capacity, boolean direct) {
    return direct ? ByteBuffer.allocateDirect(capacity) : ByteBuffer.allocate(capacity);
  }

  private static byte[] bytes(SplittableRandom random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }
}
