package io.phase.p2p.kad.routing;

import io.phase.p2p.bytes.Bytes;
import io.phase.p2p.peer.PeerId;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;

/**
 * A point in the Kademlia keyspace: the SHA-256 of a key's bytes (for peers, of the binary peer
 * id). Distances are XOR of two points, compared as unsigned 256-bit integers. Immutable.
 */
public final class KadKey {

  /** Length of a keyspace point in bytes (SHA-256). */
  public static final int LENGTH = 32;

  /** Number of bits in the keyspace. */
  public static final int BITS = LENGTH * 8;

  private final Bytes hash;

  private KadKey(Bytes hash) {
    this.hash = hash;
  }

  /** The keyspace point of arbitrary key bytes (a DHT record or provider key). */
  public static KadKey of(byte[] key) {
    try {
      return new KadKey(Bytes.wrapOwned(MessageDigest.getInstance("SHA-256").digest(key)));
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
    return new KadKey(Bytes.copyOf(hash));
  }

  /** The 32 hash bytes (a copy). */
  public byte[] hash() {
    return hash.toByteArray();
  }

  /** XOR distance to {@code other}. */
  public KadDistance distanceTo(KadKey other) {
    byte[] a = hash.unsafeArray();
    byte[] b = other.hash.unsafeArray();
    byte[] d = new byte[LENGTH];
    for (int i = 0; i < LENGTH; i++) {
      d[i] = (byte) (a[i] ^ b[i]);
    }
    return new KadDistance(d);
  }

  /** Number of leading bits shared with {@code other}: 0..256 (256 only for equal keys). */
  public int commonPrefixLength(KadKey other) {
    byte[] a = hash.unsafeArray();
    byte[] b = other.hash.unsafeArray();
    for (int i = 0; i < LENGTH; i++) {
      int x = (a[i] ^ b[i]) & 0xff;
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
    byte[] t = target.hash.unsafeArray();
    byte[] x = a.hash.unsafeArray();
    byte[] y = b.hash.unsafeArray();
    for (int i = 0; i < LENGTH; i++) {
      int da = (x[i] ^ t[i]) & 0xff;
      int db = (y[i] ^ t[i]) & 0xff;
      if (da != db) {
        return Integer.compare(da, db);
      }
    }
    return 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KadKey k && hash.equals(k.hash);
  }

  @Override
  public int hashCode() {
    return hash.hashCode();
  }

  /** Hex of the hash. */
  @Override
  public String toString() {
    return hash.hex();
  }
}
