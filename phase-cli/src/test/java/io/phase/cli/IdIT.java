package io.phase.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code phase id}: the node's PeerId, from a key created private and refused when exposed. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IdIT {
  @TempDir Path dir;

  @Test
  void createsAPrivateKeyAtTheDefaultPathAndPrintsAStableId() throws Exception {
    PhaseRunner phase = new PhaseRunner(dir);
    var first = phase.run("id").assertExit(0);
    String id = first.stdout().strip();
    assertTrue(id.matches("12D3KooW[1-9A-HJ-NP-Za-km-z]{44}"), first::describe);
    assertEquals(id + "\n", first.stdout());
    Path key = dir.resolve("config/phase/node.key"); // XDG_CONFIG_HOME/phase/node.key
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
    byte[] keyBytes = Files.readAllBytes(key);

    var second = phase.run("id", "--key", key.toString()).assertExit(0);
    assertEquals(id + "\n", second.stdout(), "the same key gives the same id");
    assertTrue(Arrays.equals(keyBytes, Files.readAllBytes(key)), "key left as it was");
  }

  @Test
  void refusesAKeyReadableByOthers() throws Exception {
    PhaseRunner phase = new PhaseRunner(dir);
    phase.run("id", "--key", "node.key").assertExit(0);
    Path key = dir.resolve("node.key");
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
    var run = phase.run("id", "--key", "node.key");
    run.assertPhaseError(ExitCodes.USAGE, "accessible by group or others");
    assertTrue(run.stderr().contains("chmod 600"), run::describe);
    assertEquals("", run.stdout(), "no id printed from an exposed key");
    phase
        .run("exec", "--key", "node.key", PhaseRunner.fixtureArg("io.wasm"), "exit", "0")
        .assertPhaseError(ExitCodes.PHASE_ERROR, "accessible by group or others");
  }

  @Test
  void aKillDuringKeyCreationLeavesNoTempFileAfterTheNextStart() throws Exception {
    PhaseRunner phase = new PhaseRunner(dir);
    java.util.Random random = new java.util.Random(12);
    for (int i = 0; i < 6; i++) {
      String name = "k" + i + ".key";
      Process p =
          phase
              .builder("id", "--key", name)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      Thread.sleep(150 + random.nextInt(700));
      PhaseRunner.kill(p);
      // A temp file as a crash inside the old code left it, whatever the kill hit.
      Files.write(dir.resolve("." + name + ".0123456789abcdef.tmp"), new byte[68]);
      phase.run("id", "--key", name).assertExit(0);
      try (var files = Files.list(dir)) {
        var temps = files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".tmp"));
        assertEquals(List.of(), temps.toList(), "no temp key file after the next start");
      }
    }
  }
}
