package io.phase.p2p.crypto;

import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.math.ec.rfc7748.X25519;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Decides which library runs each Curve25519 / ChaCha20-Poly1305 primitive: BouncyCastle's
 * lightweight API against the JDK provider, on whatever JDK runs it. Not a test; run with {@code
 * java -cp <test classpath> io.phase.p2p.crypto.CryptoBench [seconds-per-case]}.
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
    byte[] key = new byte[32];
    byte[] nonce = new byte[12];
    byte[] buf = new byte[65536 + 16];
    ChaCha20Poly1305 bc = new ChaCha20Poly1305();
    long[] n = {0};
    Op bcSeal =
        () -> {
          long counter = ++n[0];
          for (int i = 0; i < 8; i++) {
            nonce[4 + i] = (byte) (counter >>> (8 * i));
          }
          bc.init(true, new AEADParameters(new KeyParameter(key), 128, nonce));
          int k = bc.processBytes(buf, 0, 65536, buf, 0);
          bc.doFinal(buf, k);
        };
    reportBytes("chachapoly_seal_64k", "bc", seconds, bcSeal);
    // Two messages under alternating nonces: the JDK refuses to re-initialise with the same pair.
    byte[][] sealed = new byte[2][];
    byte[][] nonces = {new byte[12], new byte[12]};
    nonces[1][4] = 1;
    for (int i = 0; i < 2; i++) {
      bc.init(true, new AEADParameters(new KeyParameter(key), 128, nonces[i]));
      sealed[i] = new byte[65536 + 16];
      bc.doFinal(sealed[i], bc.processBytes(new byte[65536], 0, 65536, sealed[i], 0));
    }
    byte[] work = new byte[65536 + 16];
    int[] turn = {0};
    reportBytes(
        "chachapoly_open_64k",
        "bc",
        seconds,
        () -> {
          int t = turn[0]++ & 1;
          bc.init(false, new AEADParameters(new KeyParameter(key), 128, nonces[t]));
          int k = bc.processBytes(sealed[t], 0, sealed[t].length, work, 0);
          bc.doFinal(work, k);
        });
    Cipher c = Cipher.getInstance("ChaCha20-Poly1305");
    Cipher d = Cipher.getInstance("ChaCha20-Poly1305");
    SecretKeySpec ks = new SecretKeySpec(key, "ChaCha20");
    reportBytes(
        "chachapoly_seal_64k",
        "jdk",
        seconds,
        () -> {
          long counter = ++n[0];
          for (int i = 0; i < 8; i++) {
            nonce[4 + i] = (byte) (counter >>> (8 * i));
          }
          c.init(Cipher.ENCRYPT_MODE, ks, new IvParameterSpec(nonce));
          c.doFinal(buf, 0, 65536, buf, 0);
        });
    reportBytes(
        "chachapoly_open_64k",
        "jdk",
        seconds,
        () -> {
          int t = turn[0]++ & 1;
          d.init(Cipher.DECRYPT_MODE, ks, new IvParameterSpec(nonces[t]));
          d.doFinal(sealed[t], 0, sealed[t].length, work, 0);
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

  private static void reportBytes(String primitive, String impl, double seconds, Op op)
      throws Exception {
    double ops = opsPerSecond(seconds, op);
    System.out.printf(
        "bench primitive=%s impl=%s MiB_per_s=%.0f%n", primitive, impl, ops * 65536 / 1048576);
  }
}
