package io.phase.p2p.crypto;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.XECPrivateKey;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * Thread CPU time per Curve25519 operation, ours against the JDK provider, in one JVM:
 *
 * <pre>
 * java -cp &lt;test classes:classes:deps&gt; io.phase.p2p.crypto.CurveBench [operations-per-round]
 * </pre>
 *
 * X25519 operations go the way Noise's {@code X25519} goes for each implementation (the JDK's
 * through KeyPairGenerator/KeyFactory/KeyAgreement); Ed25519 verification includes building the
 * public key from its 32 bytes, as a Noise handshake does for the peer's identity key.
 */
public final class CurveBench {

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final int ROUNDS = 5;

  private CurveBench() {}

  /** An operation run {@code n} times. */
  private interface Op {
    void run(int n) throws Exception;
  }

  /** Entry point. */
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 400;
    Random random = new Random(1);
    SecureRandom secure = new SecureRandom();
    byte[][] scalars = new byte[64][32];
    byte[][] points = new byte[64][];
    for (int i = 0; i < 64; i++) {
      random.nextBytes(scalars[i]);
      points[i] = Curve25519.x25519Base(scalars[(i + 1) % 64].clone());
    }
    byte[] message = new byte[100];
    random.nextBytes(message);
    byte[][] seeds = new byte[64][32];
    for (byte[] seed : seeds) {
      random.nextBytes(seed);
    }
    Ed25519PrivateKey ownKey = Ed25519PrivateKey.fromSeed(seeds[0], Curve25519Implementation.OWN);
    Ed25519PrivateKey jdkKey = Ed25519PrivateKey.fromSeed(seeds[0], Curve25519Implementation.JDK);
    byte[] signature = ownKey.sign(message);
    byte[] publicRaw = ownKey.publicKey().raw();
    long[] sink = new long[1];

    Op[][] ops = {
      {
        k -> {
          for (int i = 0; i < k; i++) {
            byte[] priv = new byte[32];
            secure.nextBytes(priv);
            sink[0] += Curve25519.x25519Base(priv)[0];
          }
        },
        k -> {
          for (int i = 0; i < k; i++) {
            sink[0] += jdkKeygen()[0];
          }
        }
      },
      {
        k -> {
          for (int i = 0; i < k; i++) {
            sink[0] += Curve25519.x25519(scalars[i & 63], points[i & 63])[0];
          }
        },
        k -> {
          for (int i = 0; i < k; i++) {
            sink[0] += jdkAgree(scalars[i & 63], points[i & 63])[0];
          }
        }
      },
      {
        k -> {
          for (int i = 0; i < k; i++) {
            sink[0] += ownKey.sign(message)[0];
          }
        },
        k -> {
          for (int i = 0; i < k; i++) {
            sink[0] += jdkKey.sign(message)[0];
          }
        }
      },
      {
        k -> {
          for (int i = 0; i < k; i++) {
            Ed25519PublicKey pub =
                Ed25519PublicKey.fromRaw(publicRaw, Curve25519Implementation.OWN);
            sink[0] += pub.verify(message, signature) ? 1 : 0;
          }
        },
        k -> {
          for (int i = 0; i < k; i++) {
            Ed25519PublicKey pub =
                Ed25519PublicKey.fromRaw(publicRaw, Curve25519Implementation.JDK);
            sink[0] += pub.verify(message, signature) ? 1 : 0;
          }
        }
      },
      {
        k -> {
          for (int i = 0; i < k; i++) {
            sink[0] +=
                Ed25519PrivateKey.fromSeed(seeds[i & 63], Curve25519Implementation.OWN)
                    .publicKey()
                    .hashCode();
          }
        },
        k -> {
          for (int i = 0; i < k; i++) {
            sink[0] +=
                Ed25519PrivateKey.fromSeed(seeds[i & 63], Curve25519Implementation.JDK)
                    .publicKey()
                    .hashCode();
          }
        }
      }
    };
    String[] names = {
      "x25519-keygen", "x25519-agreement", "ed25519-sign", "ed25519-verify", "ed25519-keygen"
    };
    // Warm both implementations up before measuring either.
    for (int w = 0; w < 3; w++) {
      for (Op[] pair : ops) {
        pair[0].run(n);
        pair[1].run(Math.max(1, n / 4));
      }
    }
    System.out.printf(
        Locale.ROOT, "%-18s %12s %12s %8s%n", "operation", "own us/op", "jdk us/op", "jdk/own");
    for (int i = 0; i < ops.length; i++) {
      double own = median(ops[i][0], n);
      double jdk = median(ops[i][1], Math.max(1, n / 4));
      System.out.printf(Locale.ROOT, "%-18s %12.1f %12.1f %8.1f%n", names[i], own, jdk, jdk / own);
    }
    if (sink[0] == 42) {
      System.out.println();
    }
  }

  /** Median over rounds of thread CPU microseconds per operation. */
  private static double median(Op op, int n) throws Exception {
    double[] perOp = new double[ROUNDS];
    for (int r = 0; r < ROUNDS; r++) {
      long start = THREADS.getCurrentThreadCpuTime();
      op.run(n);
      perOp[r] = (THREADS.getCurrentThreadCpuTime() - start) / 1000.0 / n;
    }
    Arrays.sort(perOp);
    return perOp[ROUNDS / 2];
  }

  private static byte[] jdkKeygen() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("X25519");
    java.security.KeyPair pair = generator.generateKeyPair();
    return ((XECPrivateKey) pair.getPrivate()).getScalar().orElseThrow();
  }

  private static byte[] jdkAgree(byte[] scalar, byte[] u) throws GeneralSecurityException {
    return Curve25519Test.jdk(scalar, u);
  }
}
