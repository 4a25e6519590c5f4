package io.phase.p2p.kad.store;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** A test validator: values are decimal versions; the highest wins. */
public final class VersionValidator implements RecordValidator {
  @Override
  public void validate(byte[] key, byte[] value) throws InvalidRecordException {
    String s = new String(value, StandardCharsets.UTF_8);
    if (!s.matches("[0-9]{1,9}")) {
      throw new InvalidRecordException("not a version: " + s);
    }
  }

  @Override
  public int select(byte[] key, List<byte[]> values) {
    int best = 0;
    for (int i = 1; i < values.size(); i++) {
      if (Integer.parseInt(new String(values.get(i), StandardCharsets.UTF_8))
          > Integer.parseInt(new String(values.get(best), StandardCharsets.UTF_8))) {
        best = i;
      }
    }
    return best;
  }
}
