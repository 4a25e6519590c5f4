package io.phase.core.json;

import com.fasterxml.jackson.databind.JsonNode;
import io.phase.p2p.text.PrintableText;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Strict readers for fixed-shape JSON objects from untrusted sources: required fields present with
 * the right type (null is not a value), unknown fields refused or ignored as the caller says, every
 * string and number bounded. Each failure is the caller's exception type (a receipt's MALFORMED, a
 * protocol error) with one line naming the field.
 */
public final class StrictFields {
  /** 32 bytes in lowercase hex. */
  public static final Pattern HEX_32_BYTES = Pattern.compile("[0-9a-f]{64}");

  /** 64 bytes in lowercase hex. */
  public static final Pattern HEX_64_BYTES = Pattern.compile("[0-9a-f]{128}");

  /** {@code sha256:} and 32 bytes in lowercase hex. */
  public static final Pattern MODULE_HASH = Pattern.compile("sha256:[0-9a-f]{64}");

  /** What to do with fields a reader does not know. */
  public enum Unknown {
    /** Skip them (serde's default: the inherited job-offer protocol). */
    IGNORE,
    /** Refuse them (our versioned formats). */
    REJECT
  }

  private final Function<String, ? extends RuntimeException> error;

  /** Readers whose failures are {@code error.apply(message)}. */
  public StrictFields(Function<String, ? extends RuntimeException> error) {
    this.error = Objects.requireNonNull(error, "error");
  }

  /** Checks that {@code node} is an object holding every field of {@code fields}. */
  public JsonNode object(JsonNode node, String where, List<String> fields, Unknown unknown) {
    if (node == null || !node.isObject()) {
      throw error.apply(where + " must be a JSON object");
    }
    if (unknown == Unknown.REJECT) {
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        String name = it.next();
        if (!fields.contains(name)) {
          throw error.apply(where + ": unknown field \"" + PrintableText.printable(name) + "\"");
        }
      }
    }
    for (String name : fields) {
      if (!node.has(name)) {
        throw error.apply(where + ": missing field \"" + name + "\"");
      }
    }
    return node;
  }

  /** A string of any length. */
  public String text(JsonNode object, String name, String where) {
    JsonNode value = object.get(name);
    if (value == null || !value.isTextual()) {
      throw error.apply(where + "." + name + " must be a string");
    }
    return value.textValue();
  }

  /** A string of {@code minChars..maxChars} chars with no NUL. */
  public String text(JsonNode object, String name, String where, int minChars, int maxChars) {
    return checkText(text(object, name, where), where + "." + name, minChars, maxChars);
  }

  /** {@code s} if it has {@code minChars..maxChars} chars and no NUL. */
  public String checkText(String s, String where, int minChars, int maxChars) {
    if (s.length() < minChars || s.length() > maxChars) {
      throw error.apply(
          where + " must be " + minChars + ".." + maxChars + " characters, got " + s.length());
    }
    if (s.indexOf('\0') >= 0) {
      throw error.apply(where + " must not contain NUL");
    }
    return s;
  }

  /** A string matching {@code pattern}; {@code what} describes it in the error. */
  public String matching(JsonNode object, String name, String where, Pattern pattern, String what) {
    String value = text(object, name, where);
    if (!pattern.matcher(value).matches()) {
      throw error.apply(where + "." + name + " must be " + what);
    }
    return value;
  }

  /** A string of at most {@code maxChars} chars matching {@code pattern}. */
  public String matching(
      JsonNode object, String name, String where, int maxChars, Pattern pattern, String what) {
    String value = text(object, name, where, 0, maxChars);
    if (!pattern.matcher(value).matches()) {
      throw error.apply(where + "." + name + " must be " + what);
    }
    return value;
  }

  /** A JSON integer (not a float, not a string) in {@code [min, max]}. */
  public long integer(JsonNode object, String name, String where, long min, long max) {
    JsonNode value = object.get(name);
    if (value == null || !value.isIntegralNumber() || !value.canConvertToLong()) {
      throw error.apply(where + "." + name + " must be an integer");
    }
    long v = value.longValue();
    if (v < min || v > max) {
      throw error.apply(
          where + "." + name + " must be between " + min + " and " + max + ", got " + v);
    }
    return v;
  }
}
