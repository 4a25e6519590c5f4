package io.phase.p2p.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * Pure Ed25519 (RFC 8032 5.1) on our own field and group arithmetic: key derivation, signing and
 * verification on raw byte encodings.
 *
 * <p>Signing and key derivation touch secrets only through {@link Edwards25519#scalarMultBase} and
 * {@link Scalar25519}, both constant time. Verification matches the JDK 17 provider's accept/reject
 * decisions exactly: S must be below L, the public key and R must be canonical, valid encodings (y
 * below p, x = 0 only with a clear sign bit), k = SHA-512(R || A || M) is reduced mod L, and the
 * cofactorless equation [S]B = R + [k]A must hold. Comparing the encoding of [S]B - [k]A with the
 * bytes of R decides both R's validity and the equation, since encodings of valid points are
 * unique.
 */
final class Ed25519 {

  private static final ThreadLocal<MessageDigest> SHA512 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-512");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException("SHA-512 unavailable", e);
            }
          });

  private Ed25519() {}

  /** The 32-byte public key of a 32-byte seed. */
  static byte[] publicKey(byte[] seed) {
    byte[] h = sha512(seed);
    try {
      byte[] a = Curve25519.clamp(h);
      Edwards25519.Work w = new Edwards25519.Work();
      Edwards25519.Point p = new Edwards25519.Point();
      try {
        Edwards25519.scalarMultBase(p, a, w);
        return Edwards25519.encode(p, w);
      } finally {
        Arrays.fill(a, (byte) 0);
        w.wipe();
      }
    } finally {
      Arrays.fill(h, (byte) 0);
    }
  }

  /** The 64-byte signature of {@code message} by the key with this seed and public key. */
  static byte[] sign(byte[] seed, byte[] publicKey, byte[] message) {
    byte[] h = sha512(seed);
    byte[] a = Curve25519.clamp(h);
    byte[] r = null;
    try {
      MessageDigest md = SHA512.get();
      md.reset();
      md.update(h, 32, 32);
      md.update(message);
      byte[] rHash = md.digest();
      r = Scalar25519.reduce(rHash);
      Arrays.fill(rHash, (byte) 0);
      Edwards25519.Work w = new Edwards25519.Work();
      Edwards25519.Point point = new Edwards25519.Point();
      Edwards25519.scalarMultBase(point, r, w);
      byte[] encodedR = Edwards25519.encode(point, w);
      w.wipe();
      md.reset();
      md.update(encodedR);
      md.update(publicKey);
      md.update(message);
      byte[] k = Scalar25519.reduce(md.digest());
      byte[] s = Scalar25519.mulAdd(k, a, r);
      byte[] signature = new byte[64];
      System.arraycopy(encodedR, 0, signature, 0, 32);
      System.arraycopy(s, 0, signature, 32, 32);
      return signature;
    } finally {
      Arrays.fill(h, (byte) 0);
      Arrays.fill(a, (byte) 0);
      if (r != null) {
        Arrays.fill(r, (byte) 0);
      }
    }
  }

  /**
   * The decoded public key, or null when the 32 bytes are not a valid point encoding (such a key
   * verifies nothing).
   */
  static Edwards25519.Point decodePublicKey(byte[] publicKey) {
    Edwards25519.Point p = new Edwards25519.Point();
    return Edwards25519.decode(p, publicKey, 0, new Edwards25519.Work()) ? p : null;
  }

  /**
   * Verifies a 64-byte signature. {@code decodedKey} is {@link #decodePublicKey} of {@code
   * publicKey} (null when invalid); it is only read.
   */
  static boolean verify(
      Edwards25519.Point decodedKey, byte[] publicKey, byte[] message, byte[] signature) {
    if (decodedKey == null || signature.length != 64 || !Scalar25519.isCanonical(signature, 32)) {
      return false;
    }
    MessageDigest md = SHA512.get();
    md.reset();
    md.update(signature, 0, 32);
    md.update(publicKey);
    md.update(message);
    byte[] k = Scalar25519.reduce(md.digest());
    byte[] s = Arrays.copyOfRange(signature, 32, 64);
    Edwards25519.Point negA = new Edwards25519.Point();
    Edwards25519.negate(negA, decodedKey);
    Edwards25519.Work w = new Edwards25519.Work();
    Edwards25519.Point check = new Edwards25519.Point();
    Edwards25519.doubleScalarMult(check, k, negA, s, w);
    byte[] encoded = Edwards25519.encode(check, w);
    return MessageDigest.isEqual(encoded, Arrays.copyOf(signature, 32));
  }

  private static byte[] sha512(byte[] data) {
    MessageDigest md = SHA512.get();
    md.reset();
    return md.digest(data);
  }
}
