package io.phase.p2p.multiformats;

import io.phase.p2p.bytes.Bytes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A multihash: {@code varint(code) || varint(length) || digest}. Only the two functions libp2p peer
 * ids use are supported: {@link #IDENTITY} and {@link #SHA2_256}.
 */
public final class Multihash {

  /** Multicodec code of the identity "hash" (digest = input). */
  public static final int IDENTITY = 0x00;

  /** Multicodec code of SHA2-256. */
  public static final int SHA2_256 = 0x12;

  /** Largest identity digest accepted. */
  public static final int MAX_IDENTITY_LENGTH = 128;

  private final int code;
  private final Bytes digest;

  private Multihash(int code, Bytes digest) {
    this.code = code;
    this.digest = digest;
  }

  /** The identity multihash of {@code data} (digest is {@code data} itself). */
  public static Multihash identity(byte[] data) {
    return of(IDENTITY, data);
  }

  /** The SHA2-256 multihash of {@code data}. */
  public static Multihash sha256(byte[] data) {
    try {
      return new Multihash(
          SHA2_256, Bytes.wrapOwned(MessageDigest.getInstance("SHA-256").digest(data)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  /** A multihash from a code and an already-computed digest, validated like a decoded one. */
  public static Multihash of(int code, byte[] digest) {
    validate(code, digest.length);
    return new Multihash(code, Bytes.copyOf(digest));
  }

  /**
   * Decodes a complete multihash; trailing bytes are rejected.
   *
   * @throws IllegalArgumentException on unsupported code, wrong digest length or malformed bytes
   */
  public static Multihash decode(byte[] bytes) {
    Varint.Decoded code = Varint.decode(bytes, 0, bytes.length);
    Varint.Decoded length = Varint.decode(bytes, code.length(), bytes.length);
    if (code.value() != IDENTITY && code.value() != SHA2_256) {
      throw new IllegalArgumentException(
          "unsupported multihash code 0x" + Long.toHexString(code.value()));
    }
    if (length.value() > MAX_IDENTITY_LENGTH) {
      throw new IllegalArgumentException("multihash digest too long: " + length.value());
    }
    int start = code.length() + length.length();
    int remaining = bytes.length - start;
    if (remaining != length.value()) {
      throw new IllegalArgumentException(
          "multihash declares "
              + length.value()
              + " digest bytes but "
              + remaining
              + " follow the header");
    }
    validate((int) code.value(), (int) length.value());
    return new Multihash((int) code.value(), Bytes.copyOf(bytes, start, bytes.length - start));
  }

  private static void validate(int code, int length) {
    switch (code) {
      case IDENTITY -> {
        if (length > MAX_IDENTITY_LENGTH) {
          throw new IllegalArgumentException(
              "identity multihash digest too long: " + length + " > " + MAX_IDENTITY_LENGTH);
        }
      }
      case SHA2_256 -> {
        if (length != 32) {
          throw new IllegalArgumentException(
              "sha2-256 multihash digest must be 32 bytes, got " + length);
        }
      }
      default ->
          throw new IllegalArgumentException(
              "unsupported multihash code 0x" + Integer.toHexString(code));
    }
  }

  /** The multicodec code of the hash function. */
  public int code() {
    return code;
  }

  /** A copy of the digest. */
  public byte[] digest() {
    return digest.toByteArray();
  }

  /** The binary multihash. */
  public byte[] toBytes() {
    int length = digest.length();
    byte[] out = new byte[Varint.encodedLength(code) + Varint.encodedLength(length) + length];
    int n = Varint.write(code, out, 0);
    n += Varint.write(length, out, n);
    System.arraycopy(digest.unsafeArray(), 0, out, n, length);
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Multihash other && code == other.code && digest.equals(other.digest);
  }

  @Override
  public int hashCode() {
    return 31 * code + digest.hashCode();
  }

  @Override
  public String toString() {
    return "Multihash[code=0x" + Integer.toHexString(code) + ", length=" + digest.length() + "]";
  }
}
