package io.phase.p2p.kad.wire;

import io.phase.p2p.bytes.Bytes;
import java.util.Objects;

/**
 * A DHT value record: {@code key}, {@code value} and the receiver-set {@code timeReceived} (RFC
 * 3339 text, empty when unknown). Immutable.
 */
public record KadRecord(Bytes key, Bytes value, String timeReceived) {

  public KadRecord {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(timeReceived, "timeReceived");
  }

  /** Copies the arrays. */
  public KadRecord(byte[] key, byte[] value, String timeReceived) {
    this(Bytes.copyOf(key), Bytes.copyOf(value), timeReceived);
  }

  /** A record without a receive time (copies the arrays). */
  public static KadRecord of(byte[] key, byte[] value) {
    return new KadRecord(key, value, "");
  }

  /** This record with another receive time. */
  public KadRecord withTimeReceived(String time) {
    return new KadRecord(key, value, time);
  }

  @Override
  public String toString() {
    return "KadRecord[key="
        + KadMessage.printableKey(key.unsafeArray())
        + ", value="
        + value.length()
        + " bytes, timeReceived="
        + timeReceived
        + "]";
  }
}
