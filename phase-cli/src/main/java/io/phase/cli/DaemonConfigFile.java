package io.phase.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.phase.core.json.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The optional {@code phase node --config FILE}: a JSON object whose keys are the long option names
 * without dashes ({@code "listen"}, {@code "max-memory-mb"}, ...). Options given on the command
 * line win. Unknown keys and wrong types are refused with the key's name.
 */
final class DaemonConfigFile {
  static final int MAX_BYTES = 64 * 1024;

  static final Set<String> LISTS = Set.of("listen", "bootstrap", "allow");
  static final Set<String> NUMBERS =
      Set.of(
          "max-memory-mb",
          "max-memory-total-mb",
          "replay-budget-mb",
          "max-timeout-s",
          "max-output-mb",
          "max-module-mb",
          "max-jobs",
          "max-queue",
          "shutdown-grace-s",
          "detach-grace-s",
          "max-pending-handshakes",
          "max-pending-handshakes-per-ip",
          "handshake-timeout-s",
          "silent-timeout-ms",
          "input-store-mb",
          "compiled-cache-mb");
  static final Set<String> STRINGS =
      Set.of("on-shutdown", "key", "http", "http-token", "input-store", "compiled-cache");

  private final JsonNode root;

  private DaemonConfigFile(JsonNode root) {
    this.root = root;
  }

  static DaemonConfigFile read(Path path) {
    byte[] bytes = BoundedFiles.read(path, MAX_BYTES, "config file", ExitCodes.USAGE);
    JsonNode root;
    try {
      root = Json.parse(bytes, MAX_BYTES);
    } catch (RuntimeException e) {
      throw new UserError(ExitCodes.USAGE, "config file " + path + ": " + e.getMessage());
    }
    if (!root.isObject()) {
      throw new UserError(ExitCodes.USAGE, "config file " + path + ": must be a JSON object");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = e.getKey();
      JsonNode v = e.getValue();
      boolean ok =
          (LISTS.contains(key) && v.isArray() && v.size() <= 64 && allText(v))
              || (NUMBERS.contains(key) && v.canConvertToLong() && v.isIntegralNumber())
              || (STRINGS.contains(key) && v.isTextual());
      if (!ok) {
        throw new UserError(
            ExitCodes.USAGE,
            "config file "
                + path
                + ": "
                + (LISTS.contains(key) || NUMBERS.contains(key) || STRINGS.contains(key)
                    ? "\"" + key + "\" has the wrong type"
                    : "unknown key \"" + Parsing.printable(key) + "\""));
      }
    }
    return new DaemonConfigFile(root);
  }

  private static boolean allText(JsonNode array) {
    for (JsonNode n : array) {
      if (!n.isTextual()) {
        return false;
      }
    }
    return true;
  }

  /** The command-line list if given, else the file's, else empty. */
  List<String> list(String key, List<String> fromCommandLine) {
    if (!fromCommandLine.isEmpty() || !root.has(key)) {
      return fromCommandLine;
    }
    List<String> out = new ArrayList<>();
    root.get(key).forEach(n -> out.add(n.asText()));
    return out;
  }

  /** The command-line value if given, else the file's, else {@code fallback}. */
  long number(String key, Long fromCommandLine, long fallback) {
    if (fromCommandLine != null) {
      return fromCommandLine;
    }
    return root.has(key) ? root.get(key).asLong() : fallback;
  }

  String string(String key, String fromCommandLine, String fallback) {
    if (fromCommandLine != null) {
      return fromCommandLine;
    }
    return root.has(key) ? root.get(key).asText() : fallback;
  }

  static DaemonConfigFile empty() {
    return new DaemonConfigFile(Json.mapper().createObjectNode());
  }
}
