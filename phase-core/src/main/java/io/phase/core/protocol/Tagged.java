package io.phase.core.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** serde's externally tagged enum encoding: an object with exactly one key, the variant name. */
final class Tagged {
  private Tagged() {}

  static Map.Entry<String, JsonNode> single(JsonNode node, String where) {
    if (node == null || !node.isObject()) {
      throw new ProtocolException(where + " must be a JSON object with one variant key");
    }
    if (node.size() != 1) {
      throw new ProtocolException(
          where + " must have exactly one variant key, got " + node.size() + " keys");
    }
    return node.fields().next();
  }
}
