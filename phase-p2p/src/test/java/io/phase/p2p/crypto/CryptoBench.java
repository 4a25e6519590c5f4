package io.phase.p2p.crypto;

import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import javax.crypto.KeyAgreement;
import org.bouncycastle.math.ec.rfc7748.X25519;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Decides which library runs each Curve25519 primitive (X25519, Ed25519 sign and verify):
 * BouncyCastle's lightweight API against the JDK provider, on whatever JDK runs it, in wall time
 * per operation. ChaCha20-Poly1305 has its own benchmark in CPU time, {@code
 * io.phase.p2p.noise.AeadBench}. Not a test; run with {@code java -cp <test classpath>
 * io.phase.p2p.crypto.CryptoBench [seconds-per-case]}.
 */
public final class CryptoBench {
  private static volatile Object sink;

  private CryptoBench() {}

  interface Op {
    void run() throws Exception;
  }

  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 2.0;
    System.out.printf("jdk=%s%n", Runtime.version());
    byte[] sk = new byte[32];
    byte[] peer = new byte[32];
    new java.security.SecureRandom().nextBytes(sk);
    X25519.generatePublicKey(sk, 0, peer, 0);
    byte[] out = new byte[32];
    report("x25519_agree", "bc", seconds, () -> X25519.calculateAgreement(sk, 0, peer, 0, out, 0));
    KeyPairGenerator xg = KeyPairGenerator.getInstance("X25519");
    KeyPair a = xg.generateKeyPair();
    PublicKey b = xg.generateKeyPair().getPublic();
    report(
        "x25519_agree",
        "jdk",
        seconds,
        () -> {
          KeyAgreement ka = KeyAgreement.getInstance("XDH");
          ka.init(a.getPrivate());
          ka.doPhase(b, true);
          sink = ka.generateSecret();
        });
    byte[] msg = new byte[256];
    byte[] pk = new byte[32];
    Ed25519.generatePublicKey(sk, 0, pk, 0);
    byte[] sig = new byte[64];
    report("ed25519_sign", "bc", seconds, () -> Ed25519.sign(sk, 0, msg, 0, msg.length, sig, 0));
    report(
        "ed25519_verify",
        "bc",
        seconds,
        () -> sink = Ed25519.verify(sig, 0, pk, 0, msg, 0, msg.length));
    KeyPair e = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    Signature s = Signature.getInstance("Ed25519");
    s.initSign(e.getPrivate());
    s.update(msg);
    byte[] jsig = s.sign();
    PublicKey epub =
        KeyFactory.getInstance("Ed25519")
            .generatePublic(new X509EncodedKeySpec(e.getPublic().getEncoded()));
    report(
        "ed25519_sign",
        "jdk",
        seconds,
        () -> {
          s.initSign(e.getPrivate());
          s.update(msg);
          sink = s.sign();
        });
    Signature v = Signature.getInstance("Ed25519");
    report(
        "ed25519_verify",
        "jdk",
        seconds,
        () -> {
          v.initVerify(epub);
          v.update(msg);
          sink = v.verify(jsig);
        });
  }

  private static double opsPerSecond(double seconds, Op op) throws Exception {
    long warmEnd = System.nanoTime() + (long) (seconds * 0.5e9);
    while (System.nanoTime() < warmEnd) {
      op.run();
    }
    long best = Long.MAX_VALUE;
    int batch = 0;
    long start = System.nanoTime();
    for (int i = 0; i < 1_000_000 && System.nanoTime() - start < seconds * 1e9; i++) {
      long t = System.nanoTime();
      op.run();
      long d = System.nanoTime() - t;
      best = Math.min(best, d);
      batch++;
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    return batch / elapsed;
  }

  private static void report(String primitive, String impl, double seconds, Op op)
      throws Exception {
    double ops = opsPerSecond(seconds, op);
    System.out.printf(
        "bench primitive=%s impl=%s ops_per_s=%.0f us_per_op=%.1f%n",
        primitive, impl, ops, 1e6 / ops);
  }
}
