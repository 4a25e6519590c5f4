package io.phase.core.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import io.phase.core.receipt.Json;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Strict readers for the JSON bodies of both protocols. Required fields must be present with the
 * right type (null is not a value); unknown fields are ignored or refused as the caller says. Every
 * failure is a {@link ProtocolException} naming the field.
 */
final class JsonFields {

  /** What to do with fields a reader does not know. */
  enum Unknown {
    /** serde's default: skip them (the inherited job-offer protocol). */
    IGNORE,
    /** Refuse them (our versioned job-run protocol). */
    REJECT
  }

  static final Pattern LOWER_HEX_64 = Pattern.compile("[0-9a-f]{64}");
  static final Pattern MODULE_HASH = Pattern.compile("sha256:[0-9a-f]{64}");

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

  /** Checks that {@code node} is an object holding every required field. */
  static JsonNode object(JsonNode node, String where, List<String> required, Unknown unknown) {
    if (node == null || !node.isObject()) {
      throw new ProtocolException(where + " must be a JSON object");
    }
    if (unknown == Unknown.REJECT) {
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        String name = it.next();
        if (!required.contains(name)) {
          throw new ProtocolException(where + ": unknown field \"" + printable(name) + "\"");
        }
      }
    }
    for (String name : required) {
      if (!node.has(name)) {
        throw new ProtocolException(where + ": missing field \"" + name + "\"");
      }
    }
    return node;
  }

  /** A string of {@code minChars..maxChars} chars with no NUL. */
  static String text(JsonNode object, String name, String where, int minChars, int maxChars) {
    JsonNode value = object.get(name);
    if (value == null || !value.isTextual()) {
      throw new ProtocolException(where + "." + name + " must be a string");
    }
    return checkText(value.textValue(), where + "." + name, minChars, maxChars);
  }

  static String checkText(String s, String where, int minChars, int maxChars) {
    if (s.length() < minChars || s.length() > maxChars) {
      throw new ProtocolException(
          where + " must be " + minChars + ".." + maxChars + " characters, got " + s.length());
    }
    if (s.indexOf('\0') >= 0) {
      throw new ProtocolException(where + " must not contain NUL");
    }
    return s;
  }

  /** A string matching {@code pattern}; {@code what} describes it in the error. */
  static String matching(
      JsonNode object, String name, String where, int maxChars, Pattern pattern, String what) {
    String value = text(object, name, where, 0, maxChars);
    if (!pattern.matcher(value).matches()) {
      throw new ProtocolException(where + "." + name + " must be " + what);
    }
    return value;
  }

  /** A JSON integer (not a float, not a string) in {@code [0, max]}. */
  static long unsigned(JsonNode object, String name, String where, long max) {
    JsonNode value = object.get(name);
    if (value == null || !value.isIntegralNumber() || !value.canConvertToLong()) {
      throw new ProtocolException(where + "." + name + " must be an integer");
    }
    long v = value.longValue();
    if (v < 0 || v > max) {
      throw new ProtocolException(
          where + "." + name + " must be between 0 and " + max + ", got " + v);
    }
    return v;
  }

  /** A short, log-safe rendering of an untrusted string: printable ASCII, at most 64 chars. */
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
