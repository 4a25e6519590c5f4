package io.phase.p2p.kad.routing;

import io.phase.p2p.peer.PeerId;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;

/**
 * A point in the Kademlia keyspace: the SHA-256 of a key's bytes (for peers, of the binary peer
 * id). Distances are XOR of two points, compared as unsigned 256-bit integers. Immutable.
 */
public final class KadKey {

  /** Length of a keyspace point in bytes (SHA-256). */
  public static final int LENGTH = 32;

  /** Number of bits in the keyspace. */
  public static final int BITS = LENGTH * 8;

  private final byte[] hash;

  private KadKey(byte[] hash) {
    this.hash = hash;
  }

  /** The keyspace point of arbitrary key bytes (a DHT record or provider key). */
  public static KadKey of(byte[] key) {
    try {
      return new KadKey(MessageDigest.getInstance("SHA-256").digest(key));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  /** The keyspace point of a peer: SHA-256 of its binary peer id. */
  public static KadKey ofPeer(PeerId peer) {
    return of(peer.toBytes());
  }

  /**
   * A keyspace point given directly by its 32 hash bytes (e.g. a random point for a bucket
   * refresh).
   */
  public static KadKey fromHash(byte[] hash) {
    if (hash.length != LENGTH) {
      throw new IllegalArgumentException("kad key hash must be 32 bytes, got " + hash.length);
    }
    return new KadKey(hash.clone());
  }

  /** The 32 hash bytes (a copy). */
  public byte[] hash() {
    return hash.clone();
  }

  /** XOR distance to {@code other}. */
  public KadDistance distanceTo(KadKey other) {
    byte[] d = new byte[LENGTH];
    for (int i = 0; i < LENGTH; i++) {
      d[i] = (byte) (hash[i] ^ other.hash[i]);
    }
    return new KadDistance(d);
  }

  /** Number of leading bits shared with {@code other}: 0..256 (256 only for equal keys). */
  public int commonPrefixLength(KadKey other) {
    for (int i = 0; i < LENGTH; i++) {
      int x = (hash[i] ^ other.hash[i]) & 0xff;
      if (x != 0) {
        return i * 8 + Integer.numberOfLeadingZeros(x) - 24;
      }
    }
    return BITS;
  }

  /**
   * Orders keys by increasing XOR distance to {@code target}, ties impossible for distinct keys.
   */
  public static Comparator<KadKey> byDistanceTo(KadKey target) {
    return (a, b) -> compareDistance(target, a, b);
  }

  /**
   * Negative if {@code a} is closer to {@code target} than {@code b}, 0 if equal, else positive.
   */
  public static int compareDistance(KadKey target, KadKey a, KadKey b) {
    for (int i = 0; i < LENGTH; i++) {
      int da = (a.hash[i] ^ target.hash[i]) & 0xff;
      int db = (b.hash[i] ^ target.hash[i]) & 0xff;
      if (da != db) {
        return Integer.compare(da, db);
      }
    }
    return 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KadKey k && Arrays.equals(hash, k.hash);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(hash);
  }

  /** Hex of the hash. */
  @Override
  public String toString() {
    return HexFormat.of().formatHex(hash);
  }
}
