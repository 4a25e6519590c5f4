package io.phase.p2p.noise;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Microbenchmark (a {@code main}, not a unit test) of the two {@link NoiseAead}s as the Noise
 * transport uses them: copy the plaintext into a message array and seal it there in place, then
 * open it in place, nonce counting up. Reports MiB per CPU-second of this thread (thread CPU time,
 * so other load on the machine slows the run but barely moves the figure), best and median of the
 * rounds, the implementations alternating round by round.
 *
 * <p>Run on phase-p2p's test class path: {@code java -cp … io.phase.p2p.noise.AeadBench [size]
 * [rounds] [mib-per-round]} (defaults 65519, 7, 256).
 */
public final class AeadBench {
  private AeadBench() {}

  /** Entry point; prints one {@code RESULT} line per implementation and operation. */
  public static void main(String[] args) throws NoiseException {
    int size = args.length > 0 ? Integer.parseInt(args[0]) : 65535 - CipherState.TAG_LENGTH;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
    int mib = args.length > 2 ? Integer.parseInt(args[2]) : 256;
    if (size < 1 || size > 65519 || rounds < 1 || rounds > 100 || mib < 1 || mib > 16384) {
      throw new IllegalArgumentException("size 1..65519, rounds 1..100, mib 1..16384");
    }
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    byte[] key = new byte[32];
    new SplittableRandom(1).nextBytes(key);
    byte[] plain = new byte[size];
    new SplittableRandom(2).nextBytes(plain);
    long messages = Math.max(1, ((long) mib << 20) / size);
    AeadImplementation[] impls = AeadImplementation.values();
    double[][] seal = new double[impls.length][rounds];
    double[][] open = new double[impls.length][rounds];
    System.out.printf(
        Locale.ROOT,
        "aead-bench java=%s size=%d rounds=%d mib_per_round=%d selected=%s%n",
        Runtime.version(),
        size,
        rounds,
        mib,
        AeadImplementation.selected());
    for (int round = -1; round < rounds; round++) { // round -1 warms up both
      for (int i = 0; i < impls.length; i++) {
        NoiseAead sender = impls[i].create(key);
        NoiseAead receiver = impls[i].create(key);
        byte[] wire = new byte[size + CipherState.TAG_LENGTH];
        long sealNanos = 0;
        long openNanos = 0;
        for (long n = 0; n < messages; n++) {
          long t0 = threads.getCurrentThreadCpuTime();
          System.arraycopy(plain, 0, wire, 0, size);
          sender.sealInPlace(n, wire, 0, size);
          long t1 = threads.getCurrentThreadCpuTime();
          receiver.openInPlace(n, wire, 0, wire.length);
          long t2 = threads.getCurrentThreadCpuTime();
          sealNanos += t1 - t0;
          openNanos += t2 - t1;
        }
        if (!Arrays.equals(plain, Arrays.copyOf(wire, size))) {
          throw new IllegalStateException(impls[i] + " did not round-trip");
        }
        if (round >= 0) {
          double total = (double) messages * size / (1 << 20);
          seal[i][round] = total / (sealNanos / 1e9);
          open[i][round] = total / (openNanos / 1e9);
        }
      }
    }
    for (int i = 0; i < impls.length; i++) {
      report(impls[i], "seal", seal[i]);
      report(impls[i], "open", open[i]);
    }
  }

  private static void report(AeadImplementation impl, String op, double[] perRound) {
    double[] sorted = perRound.clone();
    Arrays.sort(sorted);
    System.out.printf(
        Locale.ROOT,
        "RESULT impl=%s op=%s mib_per_cpu_s_median=%.0f mib_per_cpu_s_best=%.0f%n",
        impl.name().toLowerCase(Locale.ROOT),
        op,
        sorted[sorted.length / 2],
        sorted[sorted.length - 1]);
  }
}
