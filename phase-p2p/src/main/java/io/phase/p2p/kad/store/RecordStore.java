package io.phase.p2p.kad.store;

import io.phase.p2p.kad.wire.KadRecord;
import io.phase.p2p.kad.wire.MessageCodec;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Value records for PUT_VALUE/GET_VALUE. Every record must pass the {@link RecordValidator}
 * (normally a {@link NamespacedValidator}); a valid record replaces a stored one only if the
 * validator selects it. Records expire {@code recordTtl} after they were stored; values are capped
 * at {@code maxRecordValueBytes} and the store at {@code maxRecords} (expired ones are pruned
 * first; then new keys are refused). Thread-safe.
 */
public final class RecordStore {

  /**
   * The bounds a record store keeps.
   *
   * @param maxRecords records kept at most
   * @param maxRecordValueBytes largest value accepted
   * @param recordTtl how long a record lives after it was stored
   */
  public record Limits(int maxRecords, int maxRecordValueBytes, Duration recordTtl) {
    /** Checks the bounds. */
    public Limits {
      Objects.requireNonNull(recordTtl, "recordTtl");
    }
  }

  /** Result of {@link #put}. */
  public enum PutResult {
    /** The record was stored (new key, or better than the stored one). */
    STORED,
    /** The stored record is better (or equal) and was kept. */
    KEPT_EXISTING
  }

  private final Limits limits;
  private final RecordValidator validator;
  private final Clock clock;
  private final Map<ByteBuffer, Entry> records = new HashMap<>();

  private record Entry(KadRecord record, Instant expires) {}

  /** Creates an empty store. */
  public RecordStore(Limits limits, RecordValidator validator, Clock clock) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.validator = Objects.requireNonNull(validator, "validator");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The validator records must pass. */
  public RecordValidator validator() {
    return validator;
  }

  /**
   * Validates and stores a record, stamping its receive time.
   *
   * @throws InvalidRecordException if the record is too big, invalid, or the store is full
   */
  public PutResult put(KadRecord record) throws InvalidRecordException {
    byte[] key = record.key().toByteArray();
    byte[] value = record.value().toByteArray();
    if (key.length == 0 || key.length > MessageCodec.MAX_KEY_BYTES) {
      throw new InvalidRecordException(
          "record key must be 1.." + MessageCodec.MAX_KEY_BYTES + " bytes");
    }
    if (value.length > limits.maxRecordValueBytes()) {
      throw new InvalidRecordException(
          "record value " + value.length + " bytes exceeds " + limits.maxRecordValueBytes());
    }
    validator.validate(key, value);
    synchronized (this) {
      Instant now = clock.instant();
      ByteBuffer k = ByteBuffer.wrap(key);
      Entry existing = records.get(k);
      if (existing != null && existing.expires.isAfter(now)) {
        int best = validator.select(key, List.of(existing.record.value().toByteArray(), value));
        if (best != 1) {
          return PutResult.KEPT_EXISTING;
        }
      } else if (existing == null && records.size() >= limits.maxRecords()) {
        pruneExpired(now);
        if (records.size() >= limits.maxRecords()) {
          throw new InvalidRecordException(
              "record store full (" + limits.maxRecords() + " records)");
        }
      }
      String received = DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.SECONDS));
      records.put(k, new Entry(new KadRecord(key, value, received), now.plus(limits.recordTtl())));
      return PutResult.STORED;
    }
  }

  /** The unexpired record stored under {@code key}. */
  public synchronized Optional<KadRecord> get(byte[] key) {
    ByteBuffer k = ByteBuffer.wrap(key);
    Entry e = records.get(k);
    if (e == null) {
      return Optional.empty();
    }
    if (!e.expires.isAfter(clock.instant())) {
      records.remove(k);
      return Optional.empty();
    }
    return Optional.of(e.record);
  }

  /** Removes expired records; returns how many were removed. */
  public synchronized int prune() {
    return pruneExpired(clock.instant());
  }

  private int pruneExpired(Instant now) {
    int removed = 0;
    for (Iterator<Entry> it = records.values().iterator(); it.hasNext(); ) {
      if (!it.next().expires.isAfter(now)) {
        it.remove();
        removed++;
      }
    }
    return removed;
  }

  /** Number of stored records (including expired ones not yet pruned). */
  public synchronized int size() {
    return records.size();
  }
}
