package io.phase.core.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import io.phase.core.json.Json;
import io.phase.core.json.StrictFields;

/** The job protocols' strict JSON readers: every failure is a {@link ProtocolException}. */
final class JsonFields {
  static final StrictFields READ = new StrictFields(ProtocolException::new);

  private JsonFields() {}

  /**
   * Parses at most {@code cap} bytes of JSON, or throws a ProtocolException naming {@code where}.
   */
  static JsonNode parse(byte[] bytes, int cap, String where) {
    try {
      return Json.parse(bytes, cap);
    } catch (IllegalArgumentException e) {
      throw new ProtocolException(where + ": " + e.getMessage(), e);
    }
  }
}
