package io.phase.p2p.kad.routing;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * XOR distance between two {@link KadKey}s, an unsigned 256-bit integer ordered numerically.
 * Immutable.
 */
public final class KadDistance implements Comparable<KadDistance> {

  private final byte[] bytes;

  KadDistance(byte[] bytes) {
    this.bytes = bytes;
  }

  /** The big-endian distance bytes (a copy). */
  public byte[] toBytes() {
    return bytes.clone();
  }

  /** Number of leading zero bits: 256 for distance zero. */
  public int leadingZeros() {
    for (int i = 0; i < bytes.length; i++) {
      int b = bytes[i] & 0xff;
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
    return Arrays.compareUnsigned(bytes, o.bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KadDistance d && Arrays.equals(bytes, d.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return HexFormat.of().formatHex(bytes);
  }
}
