package io.phase.p2p.crypto;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * An Ed25519 private key, held as its 32-byte RFC 8032 seed. Signs with our own Ed25519 or the JDK
 * provider, as {@link Curve25519Implementation#selected()} says; both give identical signatures.
 *
 * <p>Immutable and thread-safe. {@link #toString()} never reveals key material. The libp2p protobuf
 * form is {@code 08 01 12 40 || seed || publicKey}.
 */
public final class Ed25519PrivateKey {

  /** Length of the seed. */
  public static final int SEED_LENGTH = 32;

  /** Length of the libp2p protobuf form. */
  public static final int MARSHALLED_LENGTH = 4 + SEED_LENGTH + Ed25519PublicKey.LENGTH;

  /** DER prefix of a PKCS#8 PrivateKeyInfo holding an Ed25519 seed (RFC 8410). */
  private static final byte[] PKCS8_PREFIX =
      HexFormat.of().parseHex("302e020100300506032b657004220420");

  private final byte[] seed;

  /** The JDK key when the JDK implementation signs, else null. */
  private final PrivateKey jdkKey;

  private final Ed25519PublicKey publicKey;

  private Ed25519PrivateKey(byte[] seed, PrivateKey jdkKey, Ed25519PublicKey publicKey) {
    this.seed = seed;
    this.jdkKey = jdkKey;
    this.publicKey = publicKey;
  }

  /** Generates a fresh key from a strong random source. */
  public static Ed25519PrivateKey generate() {
    byte[] seed = new byte[SEED_LENGTH];
    new SecureRandom().nextBytes(seed);
    try {
      return fromSeed(seed);
    } finally {
      Arrays.fill(seed, (byte) 0);
    }
  }

  /**
   * Builds the key from its 32-byte seed and derives the public key.
   *
   * @throws IllegalArgumentException if the seed is not 32 bytes
   */
  public static Ed25519PrivateKey fromSeed(byte[] seed) {
    return fromSeed(seed, Curve25519Implementation.selected());
  }

  /** {@link #fromSeed(byte[])} on a given implementation (tests compare the two). */
  static Ed25519PrivateKey fromSeed(byte[] seed, Curve25519Implementation implementation) {
    if (seed.length != SEED_LENGTH) {
      throw new IllegalArgumentException(
          "Ed25519 seed must be " + SEED_LENGTH + " bytes, got " + seed.length);
    }
    byte[] copy = seed.clone();
    if (implementation == Curve25519Implementation.OWN) {
      byte[] raw = Ed25519.publicKey(copy);
      return new Ed25519PrivateKey(copy, null, Ed25519PublicKey.fromRaw(raw, implementation));
    }
    try {
      // The JDK has no API that derives the public key from a seed, but its key pair generator
      // takes exactly SEED_LENGTH bytes from the supplied random source as the seed.
      KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
      generator.initialize(NamedParameterSpec.ED25519, new FixedSeedRandom(copy));
      KeyPair pair = generator.generateKeyPair();
      byte[] derivedSeed = seedOf(pair.getPrivate());
      boolean same = Arrays.equals(derivedSeed, copy);
      Arrays.fill(derivedSeed, (byte) 0);
      if (!same) {
        throw new IllegalStateException("JDK Ed25519 generator did not use the supplied seed");
      }
      PrivateKey jdkKey =
          KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(pkcs8(copy)));
      return new Ed25519PrivateKey(
          copy, jdkKey, Ed25519PublicKey.fromJdk(pair.getPublic(), implementation));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 unavailable in this JDK", e);
    }
  }

  /**
   * Parses the libp2p protobuf {@code PrivateKey} form: Type Ed25519, Data = seed || public key (64
   * bytes). The embedded public key must match the one derived from the seed.
   *
   * @throws IllegalArgumentException on any other type, length, trailing bytes or a mismatched
   *     public key
   */
  public static Ed25519PrivateKey unmarshal(byte[] protobuf) {
    byte[] data =
        KeyProtobuf.decodeEd25519(protobuf, SEED_LENGTH + Ed25519PublicKey.LENGTH, "private key");
    try {
      Ed25519PrivateKey key = fromSeed(Arrays.copyOf(data, SEED_LENGTH));
      byte[] embedded = Arrays.copyOfRange(data, SEED_LENGTH, data.length);
      if (!Arrays.equals(embedded, key.publicKey.raw())) {
        throw new IllegalArgumentException(
            "Ed25519 private key: embedded public key does not match the seed");
      }
      return key;
    } finally {
      Arrays.fill(data, (byte) 0);
    }
  }

  /** The libp2p protobuf {@code PrivateKey} form. Contains secret material: handle with care. */
  public byte[] marshal() {
    byte[] data = new byte[SEED_LENGTH + Ed25519PublicKey.LENGTH];
    System.arraycopy(seed, 0, data, 0, SEED_LENGTH);
    System.arraycopy(publicKey.raw(), 0, data, SEED_LENGTH, Ed25519PublicKey.LENGTH);
    try {
      return KeyProtobuf.encode(KeyProtobuf.KEY_TYPE_ED25519, data);
    } finally {
      Arrays.fill(data, (byte) 0);
    }
  }

  /** The matching public key. */
  public Ed25519PublicKey publicKey() {
    return publicKey;
  }

  /** Signs {@code message} (pure Ed25519, RFC 8032); returns 64 bytes. */
  public byte[] sign(byte[] message) {
    if (jdkKey == null) {
      return Ed25519.sign(seed, publicKey.rawView(), message);
    }
    try {
      Signature signer = Signature.getInstance("Ed25519");
      signer.initSign(jdkKey);
      signer.update(message);
      return signer.sign();
    } catch (InvalidKeyException | SignatureException e) {
      throw new IllegalStateException("Ed25519 signing failed", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 unavailable in this JDK", e);
    }
  }

  @Override
  public String toString() {
    return "Ed25519PrivateKey[public=" + publicKey.toHex() + "]";
  }

  private static byte[] pkcs8(byte[] seed) {
    byte[] der = new byte[PKCS8_PREFIX.length + SEED_LENGTH];
    System.arraycopy(PKCS8_PREFIX, 0, der, 0, PKCS8_PREFIX.length);
    System.arraycopy(seed, 0, der, PKCS8_PREFIX.length, SEED_LENGTH);
    return der;
  }

  private static byte[] seedOf(PrivateKey key) {
    byte[] der = key.getEncoded();
    if (der == null
        || der.length != PKCS8_PREFIX.length + SEED_LENGTH
        || !Arrays.equals(der, 0, PKCS8_PREFIX.length, PKCS8_PREFIX, 0, PKCS8_PREFIX.length)) {
      throw new IllegalStateException("unexpected JDK Ed25519 private key encoding");
    }
    return Arrays.copyOfRange(der, PKCS8_PREFIX.length, der.length);
  }

  /** A SecureRandom that yields one fixed seed; used only to derive a key pair from it. */
  private static final class FixedSeedRandom extends SecureRandom {
    private static final long serialVersionUID = 1L;
    private final byte[] seed;
    private boolean used;

    FixedSeedRandom(byte[] seed) {
      super(new byte[0]);
      this.seed = seed;
    }

    @Override
    public void nextBytes(byte[] bytes) {
      if (used || bytes.length != seed.length) {
        throw new IllegalStateException("fixed-seed random used unexpectedly");
      }
      used = true;
      System.arraycopy(seed, 0, bytes, 0, seed.length);
    }
  }
}
