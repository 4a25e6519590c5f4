package io.phase.p2p.kad.routing;

import io.phase.p2p.bytes.Bytes;

/**
 * XOR distance between two {@link KadKey}s, an unsigned 256-bit integer ordered numerically.
 * Immutable.
 */
public final class KadDistance implements Comparable<KadDistance> {

  private final Bytes bytes;

  /** Takes {@code bytes} over (not copied). */
  KadDistance(byte[] bytes) {
    this.bytes = Bytes.wrapOwned(bytes);
  }

  /** The big-endian distance bytes (a copy). */
  public byte[] toBytes() {
    return bytes.toByteArray();
  }

  /** Number of leading zero bits: 256 for distance zero. */
  public int leadingZeros() {
    for (int i = 0; i < bytes.length(); i++) {
      int b = bytes.byteAt(i) & 0xff;
      if (b != 0) {
        return i * 8 + Integer.numberOfLeadingZeros(b) - 24;
      }
    }
    return KadKey.BITS;
  }

  /** Whether this is the distance of a key to itself. */
  public boolean isZero() {
    return leadingZeros() == KadKey.BITS;
  }

  @Override
  public int compareTo(KadDistance o) {
    return bytes.compareTo(o.bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KadDistance d && bytes.equals(d.bytes);
  }

  @Override
  public int hashCode() {
    return bytes.hashCode();
  }

  @Override
  public String toString() {
    return bytes.hex();
  }
}
