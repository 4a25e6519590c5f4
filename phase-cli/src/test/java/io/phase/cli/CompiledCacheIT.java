package io.phase.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real {@code phase exec} processes share the on-disk compiled-module cache: the second process
 * loads what the first compiled (its log says {@code source=disk}), and {@code --compiled-cache-mb
 * 0} turns the cache off.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CompiledCacheIT {
  @TempDir Path dir;

  PhaseRunner.Result exec(String... extra) throws Exception {
    String[] args =
        Stream.concat(Stream.of("exec", "--key", dir.resolve("k").toString()), Stream.of(extra))
            .toArray(String[]::new);
    return new PhaseRunner(dir).runWithEnv(Map.of("PHASE_LOG_LEVEL", "INFO"), args);
  }

  @Test
  void secondProcessLoadsTheCompiledModuleFromDisk() throws Exception {
    Path cache = dir.resolve("compiled");
    String module = PhaseRunner.fixtureArg("cpu.wasm");
    var first = exec("--compiled-cache", cache.toString(), module, "1").assertExit(0);
    assertTrue(first.stderr().contains("source=compiler"), first::describe);
    var second = exec("--compiled-cache", cache.toString(), module, "1").assertExit(0);
    assertTrue(second.stderr().contains("source=disk"), second::describe);
    assertEquals(first.stdout(), second.stdout());
    try (Stream<Path> files = Files.list(cache)) {
      assertEquals(1, files.filter(p -> p.toString().endsWith(".entry")).count());
    }
  }

  @Test
  void defaultCacheLivesUnderXdgCacheHomeAndCanBeTurnedOff() throws Exception {
    String module = PhaseRunner.fixtureArg("io.wasm");
    exec("--compiled-cache-mb", "0", module, "exit", "0").assertExit(0);
    assertFalse(Files.exists(dir.resolve("cache/phase/compiled")));
    exec(module, "exit", "0").assertExit(0);
    assertTrue(Files.exists(dir.resolve("cache/phase/compiled/key")));
  }
}
