package io.phase.p2p.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.SplittableRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;

/**
 * BouncyCastle's ChaCha20-Poly1305 against the JDK's {@code Cipher "ChaCha20-Poly1305"} on random
 * keys, nonces, associated data and lengths 0..70000 (with extra weight around 16- and 64-byte
 * block boundaries), through BouncyCastle's cipher and through both {@link NoiseAead}s with heap
 * and direct buffers.
 */
class NoiseAeadDifferentialTest {
  private static final long SEED = 0x5eed_c4a2_0b01L;

  @Test
  void bouncyCastleMatchesTheJdkOnRandomInputs() throws Exception {
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

      ChaCha20Poly1305 bc = new ChaCha20Poly1305();
      bc.init(true, new AEADParameters(new KeyParameter(key), 128, nonce, ad));
      byte[] sealed = new byte[plain.length + 16];
      bc.doFinal(sealed, bc.processBytes(plain, 0, plain.length, sealed, 0));
      assertArrayEquals(expected, sealed, what);

      bc.init(false, new AEADParameters(new KeyParameter(key), 128, nonce, ad));
      byte[] opened = new byte[plain.length];
      bc.doFinal(opened, bc.processBytes(expected, 0, expected.length, opened, 0));
      assertArrayEquals(plain, opened, what);
    }
  }

  @Test
  void bothNoiseAeadsAgreeInPlaceAndWithTheArrayApi() throws Exception {
    SplittableRandom random = new SplittableRandom(SEED + 1);
    for (int i = 0; i < 600; i++) {
      byte[] key = bytes(random, 32);
      long nonce = random.nextLong();
      byte[] plain = bytes(random, length(random) % 65520);
      String what = "iteration " + i + ", length " + plain.length;
      // Both refuse to encrypt twice under one key and nonce on one instance (as Noise never
      // does), so every sealing call gets its own.
      NoiseAead own = new BcNoiseAead(key);

      byte[] ad = bytes(random, random.nextInt(40));
      byte[] expected = new JdkNoiseAead(key).seal(nonce, ad, plain);
      assertArrayEquals(expected, own.seal(nonce, ad, plain), what);
      assertArrayEquals(plain, own.open(nonce, ad, expected), what);
      assertArrayEquals(
          plain,
          new JdkNoiseAead(key).open(nonce, ad, new BcNoiseAead(key).seal(nonce, ad, plain)),
          what);

      // In place, at an offset, through both implementations: sealed bytes match the JDK's.
      int off = random.nextInt(5);
      byte[] expectedSealed = new JdkNoiseAead(key).seal(nonce, new byte[0], plain);
      for (NoiseAead impl : new NoiseAead[] {new BcNoiseAead(key), new JdkNoiseAead(key)}) {
        byte[] buf = new byte[off + plain.length + 16 + random.nextInt(3)];
        System.arraycopy(plain, 0, buf, off, plain.length);
        assertEquals(plain.length + 16, impl.sealInPlace(nonce, buf, off, plain.length), what);
        assertArrayEquals(
            expectedSealed, Arrays.copyOfRange(buf, off, off + plain.length + 16), what);
      }
      for (NoiseAead impl : new NoiseAead[] {new BcNoiseAead(key), new JdkNoiseAead(key)}) {
        byte[] buf = new byte[off + expectedSealed.length];
        System.arraycopy(expectedSealed, 0, buf, off, expectedSealed.length);
        assertEquals(plain.length, impl.openInPlace(nonce, buf, off, expectedSealed.length), what);
        assertArrayEquals(plain, Arrays.copyOfRange(buf, off, off + plain.length), what);
      }
    }
  }

  @Test
  void forgedMessagesAreRefusedWithoutReleasingPlaintext() {
    byte[] key = new byte[32];
    Arrays.fill(key, (byte) 3);
    byte[] plain = new byte[300];
    Arrays.fill(plain, (byte) 'p');
    byte[] sealed = new BcNoiseAead(key).seal(9, new byte[0], plain);
    for (boolean jdk : new boolean[] {false, true}) {
      for (int at : new int[] {0, 150, sealed.length - 16, sealed.length - 1}) {
        NoiseAead impl = jdk ? new JdkNoiseAead(key) : new BcNoiseAead(key);
        byte[] forged = new byte[sealed.length + 2];
        System.arraycopy(sealed, 0, forged, 1, sealed.length);
        forged[1 + at] ^= 0x40;
        byte[] before = forged.clone();
        String what = "jdk=" + jdk + " at=" + at;
        assertThrows(
            NoiseException.class, () -> impl.openInPlace(9, forged, 1, sealed.length), what);
        // The JDK checks the tag first and leaves the ciphertext; BouncyCastle's range is wiped.
        byte[] expected = before.clone();
        if (!jdk) {
          Arrays.fill(expected, 1, 1 + sealed.length, (byte) 0);
        }
        assertArrayEquals(expected, forged, what + ": no plaintext released");
        byte[] copy = Arrays.copyOfRange(before, 1, 1 + sealed.length);
        NoiseAead fresh = jdk ? new JdkNoiseAead(key) : new BcNoiseAead(key);
        assertThrows(NoiseException.class, () -> fresh.open(9, new byte[0], copy), what);
      }
      NoiseAead impl = jdk ? new JdkNoiseAead(key) : new BcNoiseAead(key);
      assertThrows(NoiseException.class, () -> impl.openInPlace(9, new byte[15], 0, 15));
      assertThrows(
          IndexOutOfBoundsException.class, () -> impl.sealInPlace(9, new byte[315], 0, 300));
      assertThrows(
          IndexOutOfBoundsException.class, () -> impl.openInPlace(9, new byte[100], 1, 100));
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

  private static byte[] bytes(SplittableRandom random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }
}
