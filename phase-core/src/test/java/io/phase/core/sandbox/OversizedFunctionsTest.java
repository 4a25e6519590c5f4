package io.phase.core.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Bodies larger than a JVM method are found by scanning the code section, numbered as Chicory does.
 */
class OversizedFunctionsTest {
  @Test
  void hugeBodiesAreFoundWithImportsCounted() {
    // _start, 50 small functions, then 2 huge ones (120 KB bodies); one import (proc_exit).
    byte[] module = LargeModule.generate(50, 2, 1);
    assertEquals(Set.of(1 + 1 + 50, 1 + 1 + 51), OversizedFunctions.in(module, 1));
  }

  @Test
  void smallModulesHaveNone() {
    assertEquals(Set.of(), OversizedFunctions.in(LargeModule.generate(50, 0, 1), 1));
    assertEquals(Set.of(), OversizedFunctions.in(Fixtures.bytes("io.wasm"), 0));
  }

  @Test
  void truncatedBytesGiveNothingRatherThanFail() {
    byte[] module = LargeModule.generate(50, 2, 1);
    assertEquals(Set.of(), OversizedFunctions.in(java.util.Arrays.copyOf(module, 2000), 1));
  }
}
