package io.phase.p2p.kad.store;

import java.util.List;

/**
 * Decides which DHT value records are acceptable and which of several is best (libp2p's {@code
 * Validator}). Implementations must be pure and thread-safe.
 */
public interface RecordValidator {

  /**
   * Checks one record.
   *
   * @throws InvalidRecordException if the record must not be stored or returned
   */
  void validate(byte[] key, byte[] value) throws InvalidRecordException;

  /**
   * Picks the best of several values already known to be valid for {@code key}; the choice must be
   * stable.
   *
   * @return the index of the best value in {@code values} (non-empty)
   */
  int select(byte[] key, List<byte[]> values);
}
