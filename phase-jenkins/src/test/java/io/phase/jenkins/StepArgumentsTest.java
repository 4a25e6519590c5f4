package io.phase.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StepArgumentsTest {
  @Test
  void stringMapsPass() {
    Map<String, Object> in = new LinkedHashMap<>();
    in.put("A", "1");
    in.put("B", new StringBuilder("two"));
    assertEquals(Map.of("A", "1", "B", "two"), StepArguments.env(in));
    assertEquals(Map.of(), StepArguments.env(null));
  }

  @Test
  void otherShapesAreRefused() {
    assertMessage("env must be a map", List.of("A=1"));
    Map<Object, Object> numberValue = new HashMap<>();
    numberValue.put("A", 1);
    assertMessage("env value of A must be a string, not Integer", numberValue);
    Map<Object, Object> numberKey = new HashMap<>();
    numberKey.put(1, "x");
    assertMessage("env names must be non-empty strings", numberKey);
    Map<Object, Object> nullValue = new HashMap<>();
    nullValue.put("A", null);
    assertMessage("not null", nullValue);
    Map<Object, Object> big = new HashMap<>();
    for (int i = 0; i <= StepArguments.MAX_ENV; i++) {
      big.put("K" + i, "v");
    }
    assertMessage("more than 1024", big);
  }

  private static void assertMessage(String part, Object env) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> StepArguments.env(env));
    assertTrue(e.getMessage().startsWith("phaseRun: "), e.getMessage());
    assertTrue(e.getMessage().contains(part), e.getMessage());
  }

  @Test
  void eventLinesQuoteAndCut() {
    assertEquals(
        "phase_node.started peer=12D3 reason=\"two words\" n=3 empty=\"\"",
        EventLog.line(
            "phase_node.started", "peer", "12D3", "reason", "two words", "n", 3, "empty", ""));
    assertEquals("e k=a?b", EventLog.line("e", "k", "a\nb"));
  }
}
