package io.phase.p2p.noise;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import javax.crypto.Cipher;
import javax.crypto.spec.ChaCha20ParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.engines.ChaCha7539Engine;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * Microbenchmark (a {@code main}, not a unit test) of the ChaCha20-Poly1305 candidates as the Noise
 * transport uses them: copy the plaintext into a message array, seal it there in place, then open
 * it in place, nonce counting up. Reports MiB per CPU-second of this thread (thread CPU time, so
 * other load on the machine slows the run but barely moves the figure), median and best of the
 * rounds, the candidates alternating round by round in one JVM.
 *
 * <p>Candidates:
 *
 * <ul>
 *   <li>{@code jdk}: {@link JdkNoiseAead}, the JDK's {@code Cipher "ChaCha20-Poly1305"} (one Cipher
 *       per direction, re-initialised per message);
 *   <li>{@code bc-modes}: {@link BcNoiseAead}, BouncyCastle's {@code modes.ChaCha20Poly1305} (one
 *       per direction, re-initialised per message; its {@code AEADParameters} copies the nonce, so
 *       one small allocation per message remains);
 *   <li>{@code bc-engine}: BouncyCastle's {@code ChaCha7539Engine} and {@code Poly1305} driven
 *       directly, one {@code processBytes} and one {@code update} over the whole message;
 *   <li>{@code jdk-chacha20+bc-poly1305}: the JDK's {@code Cipher "ChaCha20"} for the key stream
 *       and BouncyCastle's {@code Poly1305} for the tag;
 *   <li>any class named by {@code -Dphase.bench.extraAead=fqcn} (a {@link NoiseAead} with a {@code
 *       (byte[] key)} constructor on the class path), e.g. a baseline compiled from an old commit.
 * </ul>
 *
 * <p>The bench-only compositions check the tag before decrypting, like the production ones.
 *
 * <p>Run on phase-p2p's test class path: {@code java -cp … io.phase.p2p.noise.AeadBench [size]
 * [rounds] [mib-per-round]} (defaults 65519, 5, 128).
 */
public final class AeadBench {
  private AeadBench() {}

  /** Entry point; prints one {@code RESULT} line per candidate and operation. */
  public static void main(String[] args) throws Exception {
    int size = args.length > 0 ? Integer.parseInt(args[0]) : 65535 - CipherState.TAG_LENGTH;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int mib = args.length > 2 ? Integer.parseInt(args[2]) : 128;
    if (size < 1 || size > 65519 || rounds < 1 || rounds > 100 || mib < 1 || mib > 16384) {
      throw new IllegalArgumentException("size 1..65519, rounds 1..100, mib 1..16384");
    }
    Map<String, Function<byte[], NoiseAead>> candidates = new LinkedHashMap<>();
    candidates.put("jdk", JdkNoiseAead::new);
    candidates.put("bc-modes", BcNoiseAead::new);
    candidates.put("bc-engine", BcEngine::new);
    candidates.put("jdk-chacha20+bc-poly1305", JdkChaChaBcPoly::new);
    String extra = System.getProperty("phase.bench.extraAead");
    if (extra != null) {
      var ctor = Class.forName(extra).getDeclaredConstructor(byte[].class);
      ctor.setAccessible(true);
      candidates.put(
          "extra:" + extra.substring(extra.lastIndexOf('.') + 1),
          key -> {
            try {
              return (NoiseAead) ctor.newInstance((Object) key);
            } catch (ReflectiveOperationException e) {
              throw new IllegalStateException(e);
            }
          });
    }
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    byte[] key = new byte[32];
    new SplittableRandom(1).nextBytes(key);
    byte[] plain = new byte[size];
    new SplittableRandom(2).nextBytes(plain);
    long messages = Math.max(1, ((long) mib << 20) / size);
    List<String> names = new ArrayList<>(candidates.keySet());
    double[][] seal = new double[names.size()][rounds];
    double[][] open = new double[names.size()][rounds];
    System.out.printf(
        Locale.ROOT,
        "aead-bench java=%s size=%d rounds=%d mib_per_round=%d%n",
        Runtime.version(),
        size,
        rounds,
        mib);
    byte[] expected = new JdkNoiseAead(key).seal(7, new byte[0], plain);
    for (int round = -1; round < rounds; round++) { // round -1 warms every candidate up
      for (int i = 0; i < names.size(); i++) {
        Function<byte[], NoiseAead> factory = candidates.get(names.get(i));
        NoiseAead sender = factory.apply(key);
        NoiseAead receiver = factory.apply(key);
        byte[] wire = new byte[size + CipherState.TAG_LENGTH];
        long sealNanos = 0;
        long openNanos = 0;
        for (long n = 0; n < messages; n++) {
          long t0 = threads.getCurrentThreadCpuTime();
          System.arraycopy(plain, 0, wire, 0, size);
          sender.sealInPlace(n, wire, 0, size);
          long t1 = threads.getCurrentThreadCpuTime();
          if (n == 7 && !Arrays.equals(expected, wire)) {
            throw new IllegalStateException(names.get(i) + " sealed other bytes than the JDK");
          }
          receiver.openInPlace(n, wire, 0, wire.length);
          long t2 = threads.getCurrentThreadCpuTime();
          sealNanos += t1 - t0;
          openNanos += t2 - t1;
        }
        if (!Arrays.equals(plain, Arrays.copyOf(wire, size))) {
          throw new IllegalStateException(names.get(i) + " did not round-trip");
        }
        wire[0] ^= 1;
        try {
          receiver.openInPlace(messages, wire, 0, wire.length);
          throw new IllegalStateException(names.get(i) + " opened a forged message");
        } catch (NoiseException expectedFailure) {
          // as it must
        }
        if (round >= 0) {
          double total = (double) messages * size / (1 << 20);
          seal[i][round] = total / (sealNanos / 1e9);
          open[i][round] = total / (openNanos / 1e9);
        }
      }
    }
    for (int i = 0; i < names.size(); i++) {
      report(names.get(i), "seal", seal[i]);
      report(names.get(i), "open", open[i]);
    }
  }

  private static void report(String name, String op, double[] perRound) {
    double[] sorted = perRound.clone();
    Arrays.sort(sorted);
    System.out.printf(
        Locale.ROOT,
        "RESULT impl=%s op=%s mib_per_cpu_s_median=%.0f mib_per_cpu_s_best=%.0f%n",
        name,
        op,
        sorted[sorted.length / 2],
        sorted[sorted.length - 1]);
  }

  private static void nonceBytes(long nonce, byte[] iv) {
    for (int i = 0; i < 8; i++) {
      iv[4 + i] = (byte) (nonce >>> (8 * i));
    }
  }

  /** Bench-only adapter: the in-place calls only; the array calls are not measured. */
  private abstract static class InPlaceOnly implements NoiseAead {
    @Override
    public byte[] seal(long nonce, byte[] ad, byte[] plaintext) {
      throw new UnsupportedOperationException();
    }

    @Override
    public byte[] open(long nonce, byte[] ad, byte[] ciphertext) {
      throw new UnsupportedOperationException();
    }
  }

  /** RFC 8439 section 2.8 over a MAC and a key stream; subclasses supply the key stream. */
  private abstract static class Composed extends InPlaceOnly {
    private static final byte[] ZEROES = new byte[64];
    final byte[] iv = new byte[NONCE_LENGTH];
    private final byte[] block0 = new byte[64];
    private final byte[] lengths = new byte[16];
    private final byte[] tag = new byte[TAG_LENGTH];
    private final Poly1305 poly = new Poly1305();

    /** Starts the key stream for {@code iv} at block 0 and writes that block to {@code out}. */
    abstract void start(byte[] out);

    /** XORs the key stream from block 1 over {@code buf[off, off + len)}. */
    abstract void crypt(byte[] buf, int off, int len);

    @Override
    public int sealInPlace(long nonce, byte[] buf, int off, int len) {
      nonceBytes(nonce, iv);
      start(block0);
      crypt(buf, off, len);
      mac(buf, off, len, buf, off + len);
      return len + TAG_LENGTH;
    }

    @Override
    public int openInPlace(long nonce, byte[] buf, int off, int len) throws NoiseException {
      int body = len - TAG_LENGTH;
      nonceBytes(nonce, iv);
      start(block0);
      mac(buf, off, body, tag, 0);
      int diff = 0;
      for (int i = 0; i < TAG_LENGTH; i++) {
        diff |= tag[i] ^ buf[off + body + i];
      }
      if (diff != 0) {
        throw new NoiseException("message authentication failed");
      }
      crypt(buf, off, body);
      return body;
    }

    private void mac(byte[] ct, int off, int len, byte[] out, int outOff) {
      poly.init(new KeyParameter(block0, 0, 32));
      poly.update(ct, off, len);
      poly.update(ZEROES, 0, (16 - (len & 15)) & 15);
      for (int i = 0; i < 8; i++) {
        lengths[i] = 0;
        lengths[8 + i] = (byte) ((long) len >>> (8 * i));
      }
      poly.update(lengths, 0, 16);
      poly.doFinal(out, outOff);
    }
  }

  /** BouncyCastle's ChaCha7539Engine, one processBytes call per message. */
  private static final class BcEngine extends Composed {
    private final ChaCha7539Engine engine = new ChaCha7539Engine();
    private final KeyParameter key;

    BcEngine(byte[] key) {
      this.key = new KeyParameter(key);
    }

    @Override
    void start(byte[] out) {
      // ParametersWithIV copies the nonce: one small allocation per message, as in bc-modes.
      engine.init(true, new ParametersWithIV(key, iv));
      Arrays.fill(out, (byte) 0);
      engine.processBytes(out, 0, 64, out, 0);
    }

    @Override
    void crypt(byte[] buf, int off, int len) {
      engine.processBytes(buf, off, len, buf, off);
    }
  }

  /** The JDK's ChaCha20 (counter from 0: block 0 is the Poly1305 key, then the message). */
  private static final class JdkChaChaBcPoly extends Composed {
    private final Cipher chacha;
    private final SecretKeySpec key;

    JdkChaChaBcPoly(byte[] key) {
      this.key = new SecretKeySpec(key, "ChaCha20");
      try {
        chacha = Cipher.getInstance("ChaCha20");
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    void start(byte[] out) {
      try {
        chacha.init(Cipher.ENCRYPT_MODE, key, new ChaCha20ParameterSpec(iv.clone(), 0));
        Arrays.fill(out, (byte) 0);
        chacha.update(out, 0, 64, out, 0);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    void crypt(byte[] buf, int off, int len) {
      try {
        chacha.update(buf, off, len, buf, off);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
