package io.phase.p2p.kad.wire;

import java.util.Arrays;
import java.util.Objects;

/**
 * A DHT value record: {@code key}, {@code value} and the receiver-set {@code timeReceived} (RFC
 * 3339 text, empty when unknown). Immutable: the arrays are copied in and out.
 */
public record KadRecord(byte[] key, byte[] value, String timeReceived) {

  /** Copies the arrays. */
  public KadRecord {
    key = key.clone();
    value = value.clone();
    Objects.requireNonNull(timeReceived, "timeReceived");
  }

  /** A record without a receive time. */
  public static KadRecord of(byte[] key, byte[] value) {
    return new KadRecord(key, value, "");
  }

  @Override
  public byte[] key() {
    return key.clone();
  }

  @Override
  public byte[] value() {
    return value.clone();
  }

  /** This record with another receive time. */
  public KadRecord withTimeReceived(String time) {
    return new KadRecord(key, value, time);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KadRecord r
        && Arrays.equals(key, r.key)
        && Arrays.equals(value, r.value)
        && timeReceived.equals(r.timeReceived);
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(key), Arrays.hashCode(value), timeReceived);
  }

  @Override
  public String toString() {
    return "KadRecord[key="
        + KadMessage.printableKey(key)
        + ", value="
        + value.length
        + " bytes, timeReceived="
        + timeReceived
        + "]";
  }
}
