package io.phase.p2p.peer;

import io.phase.p2p.bytes.Bytes;
import io.phase.p2p.crypto.Ed25519PublicKey;
import io.phase.p2p.multiformats.Base58;
import io.phase.p2p.multiformats.Multibase;
import io.phase.p2p.multiformats.Multihash;
import io.phase.p2p.multiformats.Varint;
import java.util.Arrays;
import java.util.Optional;

/**
 * A libp2p peer id: the multihash of a peer's protobuf-encoded public key.
 *
 * <p>Ed25519 keys (36 bytes encoded) are embedded verbatim in an identity multihash, giving a
 * 38-byte id whose base58btc text starts with {@code 12D3KooW}; the key can be recovered with
 * {@link #publicKey()}. SHA2-256 peer ids (keys longer than 42 bytes encoded, e.g. RSA) are
 * accepted when parsing, but carry no recoverable key. Identity peer ids that embed anything other
 * than an Ed25519 key are rejected, since Phase speaks Ed25519 only.
 *
 * <p>Text forms: base58btc of the multihash (canonical, {@link #toString()}) and CIDv1 ({@code 'b'}
 * base32, multicodec {@code libp2p-key}, {@link #toCidString()}). Immutable and thread-safe.
 */
public final class PeerId {

  /** Multicodec of a libp2p public key inside a CID. */
  public static final int LIBP2P_KEY_CODEC = 0x72;

  /** Largest encoded public key embedded with the identity multihash (libp2p spec). */
  public static final int MAX_INLINE_KEY_LENGTH = 42;

  /** Longest peer id text accepted by {@link #parse(String)}. */
  public static final int MAX_TEXT_LENGTH = 128;

  private static final int CID_VERSION = 1;

  private final Bytes bytes;
  private final Ed25519PublicKey publicKey; // null for sha2-256 ids

  private PeerId(Bytes bytes, Ed25519PublicKey publicKey) {
    this.bytes = bytes;
    this.publicKey = publicKey;
  }

  /** The peer id of an Ed25519 public key (identity multihash of its protobuf form). */
  public static PeerId fromPublicKey(Ed25519PublicKey key) {
    return new PeerId(Bytes.wrapOwned(Multihash.identity(key.marshal()).toBytes()), key);
  }

  /**
   * Parses the binary form (a multihash).
   *
   * @throws IllegalArgumentException if the bytes are not a valid peer id
   */
  public static PeerId fromBytes(byte[] bytes) {
    Multihash multihash;
    try {
      multihash = Multihash.decode(bytes);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid peer id: " + e.getMessage(), e);
    }
    if (multihash.code() == Multihash.SHA2_256) {
      return new PeerId(Bytes.copyOf(bytes), null);
    }
    byte[] encodedKey = multihash.digest();
    if (encodedKey.length > MAX_INLINE_KEY_LENGTH) {
      throw new IllegalArgumentException(
          "invalid peer id: identity multihash longer than "
              + MAX_INLINE_KEY_LENGTH
              + " bytes: "
              + encodedKey.length);
    }
    Ed25519PublicKey key;
    try {
      key = Ed25519PublicKey.unmarshal(encodedKey);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid peer id: " + e.getMessage(), e);
    }
    return new PeerId(Bytes.copyOf(bytes), key);
  }

  /**
   * Parses either text form: base58btc ({@code 12D3KooW…}, {@code Qm…}) or CIDv1 ({@code b…} base32
   * with codec {@code libp2p-key}).
   *
   * @throws IllegalArgumentException if the text is not a valid peer id
   */
  public static PeerId parse(String text) {
    if (text.isEmpty()) {
      throw new IllegalArgumentException("invalid peer id: empty");
    }
    if (text.length() > MAX_TEXT_LENGTH) {
      throw new IllegalArgumentException(
          "invalid peer id: " + text.length() + " chars, max " + MAX_TEXT_LENGTH);
    }
    char first = text.charAt(0);
    if (first == '1' || first == 'Q') {
      byte[] decoded;
      try {
        decoded = Base58.decode(text);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("invalid peer id: " + e.getMessage(), e);
      }
      return fromBytes(decoded);
    }
    if (first == 'b') {
      return fromCid(text);
    }
    throw new IllegalArgumentException(
        "invalid peer id: expected base58btc (12D3KooW…/Qm…) or a CIDv1 ('b…') string");
  }

  private static PeerId fromCid(String text) {
    byte[] cid;
    try {
      cid = Multibase.decode(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid peer id CID: " + e.getMessage(), e);
    }
    try {
      Varint.Decoded version = Varint.decode(cid, 0, cid.length);
      if (version.value() != CID_VERSION) {
        throw new IllegalArgumentException("CID version must be 1, got " + version.value());
      }
      Varint.Decoded codec = Varint.decode(cid, version.length(), cid.length);
      if (codec.value() != LIBP2P_KEY_CODEC) {
        throw new IllegalArgumentException(
            "CID codec must be libp2p-key (0x72), got 0x" + Long.toHexString(codec.value()));
      }
      return fromBytes(Arrays.copyOfRange(cid, version.length() + codec.length(), cid.length));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid peer id CID: " + e.getMessage(), e);
    }
  }

  /** The Ed25519 key embedded in this id; empty for a SHA2-256 peer id. */
  public Optional<Ed25519PublicKey> publicKey() {
    return Optional.ofNullable(publicKey);
  }

  /** The binary multihash. */
  public byte[] toBytes() {
    return bytes.toByteArray();
  }

  /** Canonical text: base58btc of the multihash. */
  public String toBase58() {
    return Base58.encode(bytes.unsafeArray());
  }

  /** CIDv1 text: multibase base32 of {@code 0x01 0x72 || multihash}. */
  public String toCidString() {
    byte[] cid = new byte[2 + bytes.length()];
    cid[0] = CID_VERSION;
    cid[1] = LIBP2P_KEY_CODEC;
    System.arraycopy(bytes.unsafeArray(), 0, cid, 2, bytes.length());
    return Multibase.encodeBase32(cid);
  }

  /** Whether this id was derived from {@code key}. */
  public boolean matches(Ed25519PublicKey key) {
    return key.equals(publicKey);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PeerId other && bytes.equals(other.bytes);
  }

  @Override
  public int hashCode() {
    return bytes.hashCode();
  }

  /** Same as {@link #toBase58()}. */
  @Override
  public String toString() {
    return toBase58();
  }
}
