package io.phase.p2p.noise;

import io.phase.p2p.crypto.Curve25519;
import io.phase.p2p.crypto.Curve25519Implementation;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.XECPrivateKey;
import java.security.interfaces.XECPublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import javax.crypto.KeyAgreement;

/**
 * X25519 (RFC 7748) with raw 32-byte keys, on our {@link Curve25519} or the JDK's XDH provider as
 * {@link Curve25519Implementation#selected()} says. Both give the same bytes and refuse the same
 * peer keys (those whose shared secret is all zero).
 */
public final class X25519 {
  /** Length of keys and shared secrets. */
  public static final int KEY_LENGTH = 32;

  private static final SecureRandom RANDOM = new SecureRandom();

  /** A key pair in raw form. */
  public record KeyPair(byte[] privateKey, byte[] publicKey) {}

  private X25519() {}

  /** Generates a fresh key pair. */
  public static KeyPair generate() {
    return generate(Curve25519Implementation.selected());
  }

  /** {@link #generate()} on a given implementation (tests compare the two). */
  static KeyPair generate(Curve25519Implementation implementation) {
    if (implementation == Curve25519Implementation.OWN) {
      byte[] priv = new byte[KEY_LENGTH];
      RANDOM.nextBytes(priv);
      return new KeyPair(priv, Curve25519.x25519Base(priv));
    }
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("X25519");
      java.security.KeyPair pair = generator.generateKeyPair();
      byte[] priv =
          ((XECPrivateKey) pair.getPrivate())
              .getScalar()
              .orElseThrow(() -> new IllegalStateException("X25519 scalar not exportable"));
      return new KeyPair(priv, encodeU(((XECPublicKey) pair.getPublic()).getU()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("X25519 unavailable", e);
    }
  }

  /** The key pair of a given raw private key. */
  public static KeyPair fromPrivate(byte[] privateKey) {
    return fromPrivate(privateKey, Curve25519Implementation.selected());
  }

  /** {@link #fromPrivate(byte[])} on a given implementation. */
  static KeyPair fromPrivate(byte[] privateKey, Curve25519Implementation implementation) {
    checkLength(privateKey);
    if (implementation == Curve25519Implementation.OWN) {
      return new KeyPair(privateKey.clone(), Curve25519.x25519Base(privateKey));
    }
    try {
      KeyFactory factory = KeyFactory.getInstance("XDH");
      XECPrivateKey priv =
          (XECPrivateKey)
              factory.generatePrivate(
                  new XECPrivateKeySpec(NamedParameterSpec.X25519, privateKey.clone()));
      // The public key is the agreement with the base point u = 9.
      byte[] base = new byte[KEY_LENGTH];
      base[0] = 9;
      return new KeyPair(privateKey.clone(), agree(priv, base));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("X25519 unavailable", e);
    }
  }

  /**
   * Computes the shared secret of {@code privateKey} and the peer's {@code publicKey}.
   *
   * @throws NoiseException if the peer's key is invalid or yields the all-zero secret
   */
  public static byte[] dh(byte[] privateKey, byte[] publicKey) throws NoiseException {
    return dh(privateKey, publicKey, Curve25519Implementation.selected());
  }

  /** {@link #dh(byte[], byte[])} on a given implementation. */
  static byte[] dh(byte[] privateKey, byte[] publicKey, Curve25519Implementation implementation)
      throws NoiseException {
    checkLength(privateKey);
    if (publicKey.length != KEY_LENGTH) {
      throw new NoiseException("X25519 public key must be 32 bytes, got " + publicKey.length);
    }
    if (implementation == Curve25519Implementation.OWN) {
      return nonZero(Curve25519.x25519(privateKey, publicKey));
    }
    try {
      KeyFactory factory = KeyFactory.getInstance("XDH");
      PrivateKey priv =
          factory.generatePrivate(
              new XECPrivateKeySpec(NamedParameterSpec.X25519, privateKey.clone()));
      return nonZero(agree(priv, publicKey));
    } catch (java.security.InvalidKeyException e) {
      throw new NoiseException("invalid X25519 public key", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("X25519 unavailable", e);
    }
  }

  private static byte[] agree(PrivateKey priv, byte[] publicKey) throws GeneralSecurityException {
    KeyFactory factory = KeyFactory.getInstance("XDH");
    PublicKey pub =
        factory.generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, decodeU(publicKey)));
    KeyAgreement agreement = KeyAgreement.getInstance("XDH");
    agreement.init(priv);
    agreement.doPhase(pub, true);
    return agreement.generateSecret();
  }

  private static BigInteger decodeU(byte[] littleEndian) {
    byte[] be = new byte[KEY_LENGTH];
    for (int i = 0; i < KEY_LENGTH; i++) {
      be[i] = littleEndian[KEY_LENGTH - 1 - i];
    }
    be[0] &= 0x7f; // RFC 7748: ignore the top bit
    return new BigInteger(1, be);
  }

  private static byte[] encodeU(BigInteger u) {
    byte[] be = u.toByteArray();
    byte[] le = new byte[KEY_LENGTH];
    for (int i = 0; i < KEY_LENGTH && i < be.length; i++) {
      le[i] = be[be.length - 1 - i];
    }
    return le;
  }

  private static void checkLength(byte[] privateKey) {
    if (privateKey.length != KEY_LENGTH) {
      throw new IllegalArgumentException("X25519 private key must be 32 bytes");
    }
  }

  /** Refuses the all-zero secret a small-order public key yields (RFC 7748 section 6.1). */
  private static byte[] nonZero(byte[] secret) throws NoiseException {
    int acc = 0;
    for (byte b : secret) {
      acc |= b;
    }
    if (acc == 0) {
      throw new NoiseException("X25519 shared secret is zero (small-order public key)");
    }
    return secret;
  }
}
