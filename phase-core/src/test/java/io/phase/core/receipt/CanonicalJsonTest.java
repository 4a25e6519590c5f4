package io.phase.core.receipt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.phase.core.json.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CanonicalJsonTest {

  private static String canonical(String json) {
    return new String(
        CanonicalJson.write(Json.parse(json.getBytes(StandardCharsets.UTF_8), 1 << 16)),
        StandardCharsets.UTF_8);
  }

  @Test
  void sortsKeysByUtf8BytesAtEveryDepth() {
    assertEquals(
        "{\"a\":{\"x\":[3,{\"m\":1,\"n\":2}],\"y\":true},\"b\":null}",
        canonical("{ \"b\" : null, \"a\" : { \"y\":true, \"x\":[3, {\"n\":2,\"m\":1}] } }"));
    // Uppercase sorts before lowercase; "é" (c3 a9) after "z"; U+FFFD (ef bf bd) before
    // U+1F600 (f0 9f 98 80) even though UTF-16 order is the other way round.
    assertEquals(
        "{\"B\":1,\"a\":2,\"z\":3,\"é\":4,\"\uFFFD\":5,\"\uD83D\uDE00\":6}",
        canonical("{\"\uD83D\uDE00\":6,\"\uFFFD\":5,\"é\":4,\"z\":3,\"a\":2,\"B\":1}"));
    assertEquals("{\"\":0,\"a\":1,\"aa\":2}", canonical("{\"aa\":2,\"a\":1,\"\":0}"));
  }

  @Test
  void escapesLikeSerdeJson() {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("s", "q\" b\\ \b\f\n\r\t \u0000\u0001\u001f\u007f / é \u2028 \uD83D\uDE00");
    assertEquals(
        "{\"s\":\"q\\\" b\\\\ \\b\\f\\n\\r\\t \\u0000\\u0001\\u001f\u007f / é \u2028 \uD83D\uDE00\"}",
        new String(CanonicalJson.write(node), StandardCharsets.UTF_8));
    assertEquals("[\"\\u001b\"]", canonical("[\"\\u001B\"]"));
  }

  @Test
  void integersOnly() {
    assertEquals(
        "[0,-1,9223372036854775807,18446744073709551616]",
        canonical("[0, -1, 9223372036854775807, 18446744073709551616]"));
    assertThrows(IllegalArgumentException.class, () -> canonical("[1.5]"));
    assertThrows(IllegalArgumentException.class, () -> canonical("[1.0]"));
    assertThrows(IllegalArgumentException.class, () -> canonical("[1e3]"));
    assertThrows(IllegalArgumentException.class, () -> canonical("[NaN]"));
    ObjectNode nan = JsonNodeFactory.instance.objectNode();
    nan.put("x", Double.NaN);
    assertThrows(IllegalArgumentException.class, () -> CanonicalJson.write(nan));
  }

  @Test
  void rejectsLoneSurrogates() {
    assertThrows(IllegalArgumentException.class, () -> canonical("[\"\\ud800\"]"));
    assertThrows(IllegalArgumentException.class, () -> canonical("{\"\\udc00\":1}"));
  }

  @Test
  void parserIsHardened() {
    assertThrows(IllegalArgumentException.class, () -> canonical("{\"a\":1,\"a\":2}"));
    assertThrows(IllegalArgumentException.class, () -> canonical("{} {}"));
    assertThrows(IllegalArgumentException.class, () -> canonical("[".repeat(33) + "]".repeat(33)));
    assertEquals("[[[]]]", canonical("[[[]]]"));
    assertThrows(IllegalArgumentException.class, () -> canonical("[" + "1".repeat(33) + "]"));
    assertThrows(IllegalArgumentException.class, () -> canonical(""));
    assertThrows(
        IllegalArgumentException.class,
        () -> Json.parse("[1]".getBytes(StandardCharsets.UTF_8), 2));
  }
}
