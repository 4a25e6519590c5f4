package io.phase.core.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * The shared, hardened Jackson configuration for untrusted JSON: nesting depth at most {@value
 * #MAX_DEPTH}, strings at most 1 MiB, numbers at most {@value #MAX_NUMBER_LENGTH} digits, duplicate
 * keys and trailing tokens rejected, and every parse bounded by a caller-given byte cap.
 */
public final class Json {

  /** Maximum nesting depth of objects and arrays. */
  public static final int MAX_DEPTH = 32;

  /** Maximum length of one string value, in chars. */
  public static final int MAX_STRING_LENGTH = 1 << 20;

  /** Maximum length of one number literal. */
  public static final int MAX_NUMBER_LENGTH = 32;

  private static final ObjectMapper MAPPER = createMapper();

  private Json() {}

  private static ObjectMapper createMapper() {
    JsonFactory factory =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_DEPTH)
                    .maxStringLength(MAX_STRING_LENGTH)
                    .maxNumberLength(MAX_NUMBER_LENGTH)
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    ObjectMapper mapper = new ObjectMapper(factory);
    mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    mapper.disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);
    return mapper;
  }

  /** The shared mapper. Do not reconfigure it. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /**
   * Parses one JSON document of at most {@code maxBytes} bytes.
   *
   * @throws IllegalArgumentException if the input is too large, malformed, exceeds a constraint,
   *     has duplicate keys or trailing content
   */
  public static JsonNode parse(byte[] bytes, int maxBytes) {
    if (bytes.length > maxBytes) {
      throw new IllegalArgumentException(
          "JSON document too large: " + bytes.length + " bytes, max " + maxBytes);
    }
    if (bytes.length == 0) {
      throw new IllegalArgumentException("JSON document is empty");
    }
    try {
      JsonNode node = MAPPER.readTree(bytes);
      if (node == null || node.isMissingNode()) {
        throw new IllegalArgumentException("JSON document is empty");
      }
      return node;
    } catch (IOException e) {
      throw new IllegalArgumentException("malformed JSON: " + firstLine(e.getMessage()), e);
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unknown error";
    }
    int newline = message.indexOf('\n');
    String line = newline < 0 ? message : message.substring(0, newline);
    return line.length() > 200 ? line.substring(0, 200) + "…" : line;
  }
}
