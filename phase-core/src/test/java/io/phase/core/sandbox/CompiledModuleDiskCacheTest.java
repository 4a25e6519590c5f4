package io.phase.core.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A large generated module (many functions, some too large for a JVM method) is compiled once per
 * cache directory: a second sandbox (as a restarted process would) loads the stored classes, a
 * tampered entry is recompiled, and two runs of a new module at once compile it once.
 */
class CompiledModuleDiskCacheTest {
  static final int FUNCTIONS = 3000;
  static final SandboxLimits LIMITS =
      SandboxLimits.DEFAULTS.withMemoryMb(16).withTimeout(Duration.ofSeconds(120));

  @TempDir Path dir;

  Sandbox sandbox(int runs) {
    return new Sandbox(
        SandboxConfig.defaults().withConcurrency(runs, 4).withCompiledCache(dir, 256L << 20));
  }

  static SandboxResult run(Sandbox sandbox, byte[] module) throws Exception {
    return sandbox
        .submit(SandboxRequest.of(module, LIMITS), OutputListener.DISCARD)
        .result()
        .get(300, TimeUnit.SECONDS);
  }

  @Test
  void secondSandboxLoadsTheCompiledClassesFromDisk() throws Exception {
    byte[] module = LargeModule.generate(FUNCTIONS, 2, 11);
    Outcome expected = Outcome.exited(LargeModule.exitCode(FUNCTIONS, 11));
    try (Sandbox first = sandbox(1)) {
      SandboxResult result = run(first, module);
      assertEquals(expected, result.outcome(), result.outcome().describe());
      assertEquals(2, result.runtime().interpretedFunctions());
      assertEquals("mixed", result.runtime().mode());
      assertEquals(0, first.compiledStore().hits());
    }
    assertEquals(1, entries().size());
    try (Sandbox second = sandbox(1)) {
      SandboxResult result = run(second, module);
      assertEquals(expected, result.outcome(), result.outcome().describe());
      assertEquals(2, result.runtime().interpretedFunctions());
      assertEquals(1, second.compiledStore().hits());
      assertEquals(0, second.compiledStore().rejected());
    }
  }

  @Test
  void tamperedEntryIsRecompiledNotLoaded() throws Exception {
    byte[] module = LargeModule.generate(FUNCTIONS, 0, 12);
    Outcome expected = Outcome.exited(LargeModule.exitCode(FUNCTIONS, 12));
    try (Sandbox first = sandbox(1)) {
      assertEquals(expected, run(first, module).outcome());
    }
    Path entry = entries().get(0);
    byte[] bytes = Files.readAllBytes(entry);
    bytes[bytes.length / 3] ^= 0x20;
    Files.write(entry, bytes);
    try (Sandbox second = sandbox(1)) {
      SandboxResult result = run(second, module);
      assertEquals(expected, result.outcome(), result.outcome().describe());
      assertEquals(1, second.compiledStore().rejected());
      assertEquals(0, second.compiledStore().hits());
    }
    // Recompiled and stored again, intact: a third sandbox loads it.
    try (Sandbox third = sandbox(1)) {
      assertEquals(expected, run(third, module).outcome());
      assertEquals(1, third.compiledStore().hits());
    }
  }

  @Test
  void truncatedEntryIsRecompiled() throws Exception {
    byte[] module = LargeModule.generate(200, 0, 13);
    try (Sandbox first = sandbox(1)) {
      run(first, module);
    }
    Path entry = entries().get(0);
    Files.write(entry, java.util.Arrays.copyOf(Files.readAllBytes(entry), 100));
    try (Sandbox second = sandbox(1)) {
      assertEquals(Outcome.exited(LargeModule.exitCode(200, 13)), run(second, module).outcome());
      assertEquals(1, second.compiledStore().rejected());
    }
  }

  @Test
  void twoRunsOfANewModuleAtOnceCompileItOnce() throws Exception {
    byte[] module = LargeModule.generate(FUNCTIONS, 1, 14);
    Outcome expected = Outcome.exited(LargeModule.exitCode(FUNCTIONS, 14));
    try (Sandbox both = sandbox(2)) {
      var a = both.submit(SandboxRequest.of(module, LIMITS), OutputListener.DISCARD);
      var b = both.submit(SandboxRequest.of(module, LIMITS), OutputListener.DISCARD);
      SandboxResult ra = a.result().get(300, TimeUnit.SECONDS);
      SandboxResult rb = b.result().get(300, TimeUnit.SECONDS);
      assertEquals(expected, ra.outcome());
      assertEquals(expected, rb.outcome());
      // Exactly one of them compiled; the other waited for it.
      assertTrue(ra.runtime().cached() != rb.runtime().cached(), ra.runtime() + " " + rb.runtime());
      assertEquals(1, both.compiledStore().misses());
    }
    assertEquals(1, entries().size());
  }

  @Test
  void largeModuleRunsInterpretedWhileItCompilesThenCompiled() throws Exception {
    byte[] module = LargeModule.generate(FUNCTIONS, 1, 16);
    Outcome expected = Outcome.exited(LargeModule.exitCode(FUNCTIONS, 16));
    try (Sandbox sandbox =
        new Sandbox(
            SandboxConfig.defaults()
                .withConcurrency(1, 4)
                .withCompiledCache(dir, 256L << 20)
                .withInterpretFirst(module.length))) {
      SandboxResult first = run(sandbox, module);
      assertEquals(expected, first.outcome(), first.outcome().describe());
      assertEquals("interpreted", first.runtime().mode());
      assertTrue(sandbox.awaitCompilations(Duration.ofSeconds(240)));
      SandboxResult second = run(sandbox, module);
      assertEquals(expected, second.outcome());
      assertEquals("mixed", second.runtime().mode());
      assertTrue(second.runtime().cached());
    }
    assertEquals(1, entries().size());
    // A small module (below the threshold) is still compiled before it runs.
    try (Sandbox sandbox =
        new Sandbox(SandboxConfig.defaults().withConcurrency(1, 1).withInterpretFirst(1L << 30))) {
      assertEquals("compiled", run(sandbox, LargeModule.generate(10, 0, 17)).runtime().mode());
    }
  }

  @Test
  void unusableCacheDirectoryOnlyCostsTime() throws Exception {
    Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
    try (Sandbox sandbox =
        new Sandbox(
            SandboxConfig.defaults().withConcurrency(1, 1).withCompiledCache(file, 1 << 20))) {
      assertFalse(sandbox.compiledStore() != null);
      assertEquals(
          Outcome.exited(LargeModule.exitCode(10, 15)),
          run(sandbox, LargeModule.generate(10, 0, 15)).outcome());
    }
  }

  private List<Path> entries() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".entry")).toList();
    }
  }
}
