package io.phase.core.receipt;

import com.fasterxml.jackson.databind.JsonNode;
import io.phase.core.json.Json;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Canonical JSON bytes, the form that receipts sign: object keys sorted by their UTF-8 bytes at
 * every depth, no whitespace, arrays in order, integers only, and strings escaped exactly like
 * {@code serde_json} ({@code \" \\ \b \f \n \r \t}, other control characters as lowercase {@code
 * \\u00XX}, everything else, including non-ASCII and {@code /}, written as UTF-8).
 */
public final class CanonicalJson {

  private CanonicalJson() {}

  /**
   * Writes {@code node} canonically.
   *
   * @throws IllegalArgumentException for non-integer numbers, lone surrogates, or nesting deeper
   *     than {@link Json#MAX_DEPTH}
   */
  public static byte[] write(JsonNode node) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    write(node, out, 0);
    return out.toByteArray();
  }

  private static void write(JsonNode node, ByteArrayOutputStream out, int depth) {
    if (depth > Json.MAX_DEPTH) {
      throw new IllegalArgumentException("JSON nested deeper than " + Json.MAX_DEPTH);
    }
    switch (node.getNodeType()) {
      case OBJECT -> writeObject(node, out, depth);
      case ARRAY -> {
        out.write('[');
        boolean first = true;
        for (JsonNode element : node) {
          if (!first) {
            out.write(',');
          }
          first = false;
          write(element, out, depth + 1);
        }
        out.write(']');
      }
      case STRING -> writeString(node.textValue(), out);
      case NUMBER -> writeNumber(node, out);
      case BOOLEAN -> ascii(node.booleanValue() ? "true" : "false", out);
      case NULL -> ascii("null", out);
      default ->
          throw new IllegalArgumentException(
              "canonical JSON cannot hold a " + node.getNodeType() + " node");
    }
  }

  private static void writeObject(JsonNode node, ByteArrayOutputStream out, int depth) {
    List<Field> entries = new ArrayList<>(node.size());
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      entries.add(new Field(utf8(field.getKey()), field.getKey(), field.getValue()));
    }
    entries.sort((a, b) -> Arrays.compareUnsigned(a.utf8(), b.utf8()));
    out.write('{');
    for (int i = 0; i < entries.size(); i++) {
      if (i > 0) {
        out.write(',');
      }
      writeString(entries.get(i).name(), out);
      out.write(':');
      write(entries.get(i).value(), out, depth + 1);
    }
    out.write('}');
  }

  private record Field(byte[] utf8, String name, JsonNode value) {}

  private static void writeNumber(JsonNode node, ByteArrayOutputStream out) {
    if (!node.isIntegralNumber()) {
      throw new IllegalArgumentException(
          "canonical JSON allows integers only, got " + node.numberType() + " " + node.asText());
    }
    BigInteger value = node.bigIntegerValue();
    ascii(value.toString(), out);
  }

  private static void writeString(String s, ByteArrayOutputStream out) {
    out.write('"');
    int runStart = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      String escape = escapeFor(c);
      if (Character.isSurrogate(c)) {
        boolean paired =
            Character.isHighSurrogate(c)
                && i + 1 < s.length()
                && Character.isLowSurrogate(s.charAt(i + 1));
        if (!paired) {
          throw new IllegalArgumentException("string holds a lone UTF-16 surrogate at index " + i);
        }
        i++;
        continue;
      }
      if (escape != null) {
        out.writeBytes(utf8(s.substring(runStart, i)));
        ascii(escape, out);
        runStart = i + 1;
      }
    }
    out.writeBytes(utf8(s.substring(runStart)));
    out.write('"');
  }

  private static String escapeFor(char c) {
    return switch (c) {
      case '"' -> "\\\"";
      case '\\' -> "\\\\";
      case '\b' -> "\\b";
      case '\f' -> "\\f";
      case '\n' -> "\\n";
      case '\r' -> "\\r";
      case '\t' -> "\\t";
      default -> c < 0x20 ? String.format("\\u%04x", (int) c) : null;
    };
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static void ascii(String s, ByteArrayOutputStream out) {
    out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
  }
}
