package io.phase.core.receipt;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Pattern;

/** Strict readers for the fixed-shape JSON objects of receipts; all failures are MALFORMED. */
final class Fields {

  static final Pattern HEX_32 = Pattern.compile("[0-9a-f]{64}");
  static final Pattern HEX_64 = Pattern.compile("[0-9a-f]{128}");
  static final Pattern MODULE_HASH = Pattern.compile("sha256:[0-9a-f]{64}");

  private Fields() {}

  /** Requires {@code node} to be an object with exactly {@code names}. */
  static void requireExactly(JsonNode node, String where, List<String> names) {
    if (node == null || !node.isObject()) {
      throw malformed(where + " must be a JSON object");
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!names.contains(name)) {
        throw malformed(where + ": unknown field \"" + printable(name) + "\"");
      }
    }
    for (String name : names) {
      if (!node.has(name)) {
        throw malformed(where + ": missing field \"" + name + "\"");
      }
    }
  }

  static String text(JsonNode object, String name, String where) {
    JsonNode value = object.get(name);
    if (!value.isTextual()) {
      throw malformed(where + "." + name + " must be a string");
    }
    return value.textValue();
  }

  static String matching(JsonNode object, String name, String where, Pattern pattern, String what) {
    String value = text(object, name, where);
    if (!pattern.matcher(value).matches()) {
      throw malformed(where + "." + name + " must be " + what);
    }
    return value;
  }

  static long integer(JsonNode object, String name, String where, long min, long max) {
    JsonNode value = object.get(name);
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      throw malformed(where + "." + name + " must be an integer");
    }
    long v = value.longValue();
    if (v < min || v > max) {
      throw malformed(where + "." + name + " out of range [" + min + ", " + max + "]: " + v);
    }
    return v;
  }

  static ReceiptFormatException malformed(String message) {
    return new ReceiptFormatException(Verification.Reason.MALFORMED, message);
  }

  /** A short, log-safe rendering of an untrusted string. */
  static String printable(String s) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length() && out.length() < 64; i++) {
      char c = s.charAt(i);
      out.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    if (s.length() > 64) {
      out.append('…');
    }
    return out.toString();
  }
}
