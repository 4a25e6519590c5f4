package io.phase.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The largest guest memory the engine can address (2047 MiB) works up to its last pages, and
 * anything larger is refused before running with one clear line, never reported as a guest trap.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class MemoryLimitIT {
  @TempDir Path dir;

  @Test
  void memoryAboveTheEngineLimitIsRefusedBeforeRunning() throws Exception {
    for (String mb : new String[] {"2048", "4096"}) {
      var run =
          new PhaseRunner(dir)
              .run(
                  "exec",
                  "--key",
                  dir.resolve("k").toString(),
                  "--memory-mb",
                  mb,
                  PhaseRunner.fixtureArg("io.wasm"),
                  "echo-args",
                  "ran");
      run.assertPhaseError(ExitCodes.PHASE_ERROR, "at most 2047 MiB");
      assertEquals("", run.stdout(), "the guest must not have run");
    }
  }

  @Test
  void guestFillsMemoryUpToTheEngineLimit() throws Exception {
    // membomb mallocs 1 MiB blocks, writing every 4 KiB, until malloc fails: it writes at
    // addresses up to the top of a 2047 MiB memory, then traps at the cap.
    // Filling 2 GiB takes seconds of CPU but may take longer on a loaded machine than
    // PhaseRunner's per-run deadline, so this run gets its own.
    ProcessBuilder builder =
        new PhaseRunner(dir)
            .builder(
                "exec",
                "--key",
                dir.resolve("k").toString(),
                "--memory-mb",
                "2047",
                PhaseRunner.fixtureArg("membomb.wasm"))
            .redirectOutput(dir.resolve("out").toFile())
            .redirectError(dir.resolve("err").toFile());
    Process process = builder.start();
    try {
      assertTrue(process.waitFor(100, TimeUnit.SECONDS), "membomb did not end within 100 s");
    } finally {
      process.destroyForcibly();
    }
    var run =
        new PhaseRunner.Result(
            process.exitValue(),
            Files.readAllBytes(dir.resolve("out")),
            Files.readString(dir.resolve("err")));
    run.assertPhaseError(ExitCodes.MEMORY_LIMIT, "memory limit of 2047 MiB");
    assertTrue(run.stdout().contains("allocated 2032 MiB"), run::describe);
    assertTrue(run.stderr().contains("out of memory at 204"), run::describe);
  }
}
