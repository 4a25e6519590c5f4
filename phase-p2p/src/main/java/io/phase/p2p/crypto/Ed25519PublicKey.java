package io.phase.p2p.crypto;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * An Ed25519 public key: the raw 32-byte RFC 8032 encoding, verified with the JDK provider.
 *
 * <p>Immutable and thread-safe. The libp2p protobuf form is {@code 08 01 12 20 || key}.
 */
public final class Ed25519PublicKey {

  /** Length of the raw key. */
  public static final int LENGTH = 32;

  /** Length of an Ed25519 signature. */
  public static final int SIGNATURE_LENGTH = 64;

  /** Length of the libp2p protobuf form. */
  public static final int MARSHALLED_LENGTH = 4 + LENGTH;

  /** DER prefix of a SubjectPublicKeyInfo holding an Ed25519 key (RFC 8410). */
  private static final byte[] X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

  private final byte[] raw;
  private final PublicKey jdkKey;

  private Ed25519PublicKey(byte[] raw, PublicKey jdkKey) {
    this.raw = raw;
    this.jdkKey = jdkKey;
  }

  /**
   * Wraps a raw 32-byte key.
   *
   * @throws IllegalArgumentException if the length is wrong or the JDK rejects the key
   */
  public static Ed25519PublicKey fromRaw(byte[] raw) {
    if (raw.length != LENGTH) {
      throw new IllegalArgumentException(
          "Ed25519 public key must be " + LENGTH + " bytes, got " + raw.length);
    }
    byte[] der = new byte[X509_PREFIX.length + LENGTH];
    System.arraycopy(X509_PREFIX, 0, der, 0, X509_PREFIX.length);
    System.arraycopy(raw, 0, der, X509_PREFIX.length, LENGTH);
    try {
      PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
      return new Ed25519PublicKey(raw.clone(), key);
    } catch (InvalidKeySpecException e) {
      throw new IllegalArgumentException("invalid Ed25519 public key: " + e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 unavailable in this JDK", e);
    }
  }

  /** Converts a JDK Ed25519 public key (e.g. from {@code KeyPairGenerator}). */
  public static Ed25519PublicKey fromJdk(PublicKey key) {
    byte[] der = key.getEncoded();
    if (der == null
        || der.length != X509_PREFIX.length + LENGTH
        || !Arrays.equals(der, 0, X509_PREFIX.length, X509_PREFIX, 0, X509_PREFIX.length)) {
      throw new IllegalArgumentException("not an Ed25519 public key: " + key.getAlgorithm());
    }
    return new Ed25519PublicKey(Arrays.copyOfRange(der, X509_PREFIX.length, der.length), key);
  }

  /**
   * Parses the libp2p protobuf {@code PublicKey} form, strictly.
   *
   * @throws IllegalArgumentException for other key types, wrong lengths or trailing bytes
   */
  public static Ed25519PublicKey unmarshal(byte[] protobuf) {
    return fromRaw(KeyProtobuf.decodeEd25519(protobuf, LENGTH, "public key"));
  }

  /** The libp2p protobuf {@code PublicKey} form: {@code 08 01 12 20 || raw}. */
  public byte[] marshal() {
    return KeyProtobuf.encode(KeyProtobuf.KEY_TYPE_ED25519, raw);
  }

  /** A copy of the raw 32 bytes. */
  public byte[] raw() {
    return raw.clone();
  }

  /** Lowercase hex of the raw key. */
  public String toHex() {
    return HexFormat.of().formatHex(raw);
  }

  /**
   * Verifies an Ed25519 signature. Returns {@code false} (never throws) for a wrong-length or
   * invalid signature.
   */
  public boolean verify(byte[] message, byte[] signature) {
    if (signature.length != SIGNATURE_LENGTH) {
      return false;
    }
    try {
      Signature verifier = Signature.getInstance("Ed25519");
      verifier.initVerify(jdkKey);
      verifier.update(message);
      return verifier.verify(signature);
    } catch (SignatureException | InvalidKeyException e) {
      return false;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 unavailable in this JDK", e);
    }
  }

  /** The JDK key object, for APIs that need one. */
  public PublicKey toJdk() {
    return jdkKey;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Ed25519PublicKey other && Arrays.equals(raw, other.raw);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(raw);
  }

  @Override
  public String toString() {
    return "Ed25519PublicKey[" + toHex() + "]";
  }
}
