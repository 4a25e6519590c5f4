package io.phase.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WorkspacePathTest {
  @Test
  void relativePathsAreNormalised() {
    assertEquals("step.wasm", WorkspacePath.resolve("step.wasm", "module", false));
    assertEquals("build/step.wasm", WorkspacePath.resolve("./build//step.wasm", "module", false));
    assertEquals("build/step.wasm", WorkspacePath.resolve("build\\step.wasm", "module", false));
    assertEquals("b/step.wasm", WorkspacePath.resolve("a/../b/step.wasm", "module", false));
    assertEquals("", WorkspacePath.resolve(".", "dir", true));
    assertEquals("", WorkspacePath.resolve(null, "dir", true));
  }

  @Test
  void escapesAreRefusedWithOneLine() {
    for (String bad : new String[] {"../x.wasm", "a/../../x.wasm", "..", "a/b/../../.."}) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> WorkspacePath.resolve(bad, "module", false));
      assertTrue(e.getMessage().contains("leaves the workspace"), e.getMessage());
      assertTrue(!e.getMessage().contains("\n"));
    }
  }

  @Test
  void absolutePathsAreRefused() {
    for (String bad :
        new String[] {"/etc/passwd", "\\\\server\\share\\x", "C:\\x.wasm", "c:/x", "~/x"}) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> WorkspacePath.resolve(bad, "module", false));
      assertTrue(e.getMessage().startsWith("module must be a path relative to the workspace"));
    }
  }

  @Test
  void emptyOrControlCharactersAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> WorkspacePath.resolve("", "module", false));
    assertThrows(IllegalArgumentException.class, () -> WorkspacePath.resolve(".", "module", false));
    assertThrows(
        IllegalArgumentException.class, () -> WorkspacePath.resolve("a\0b", "module", false));
    assertThrows(
        IllegalArgumentException.class, () -> WorkspacePath.resolve("a\nb", "module", false));
    assertThrows(
        IllegalArgumentException.class,
        () -> WorkspacePath.resolve("a".repeat(5000), "module", false));
  }

  @Test
  void fileNameIsTheLastSegment() {
    assertEquals("step.wasm", WorkspacePath.fileName("build/out/step.wasm"));
    assertEquals("step.wasm", WorkspacePath.fileName("step.wasm"));
  }
}
