package io.phase.cli;

import static io.phase.cli.PhaseRunner.fixtureArg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The user stops {@code phase exec}: Ctrl-C, or a reader that goes away (as {@code head} does). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InterruptIT {
  private static final long SIGINT_BIT = 1L << (2 - 1);

  @TempDir Path dir;
  PhaseRunner phase;

  @BeforeEach
  void setUp() {
    phase = new PhaseRunner(dir);
  }

  @Test
  void ctrlCCancelsTheJobExits130AndLeavesAVerifiableReceipt() throws Exception {
    Process process =
        phase
            .builder(
                "exec", "--key", "node.key", "--receipt", "receipt.json", fixtureArg("loop.wasm"))
            .redirectOutput(dir.resolve("stdout").toFile())
            .redirectError(dir.resolve("stderr").toFile())
            .start();
    try {
      awaitGuestThread(process, 30);
      assumeTrue(
          (statusMask(process, "SigCgt") & SIGINT_BIT) != 0,
          "the JVM was started with SIGINT ignored (e.g. by a non-interactive shell's `&`)");
      // Process has no signal API: send SIGINT as a terminal's Ctrl-C would.
      Process kill = new ProcessBuilder("kill", "-INT", "" + process.pid()).start();
      assertEquals(0, kill.waitFor(10, TimeUnit.SECONDS) ? kill.exitValue() : -1, "kill -INT");
      long start = System.nanoTime();
      assertTrue(process.waitFor(10, TimeUnit.SECONDS), "phase did not exit after SIGINT");
      long millis = (System.nanoTime() - start) / 1_000_000;
      String stderr = Files.readString(dir.resolve("stderr"));
      assertEquals(ExitCodes.CANCELLED, process.exitValue(), stderr);
      assertTrue(millis < 5_000, "exited " + millis + " ms after SIGINT");
      assertEquals(List.of("phase: cancelled: cancelled"), stderr.lines().toList());
    } finally {
      PhaseRunner.kill(process);
    }
    String receipt = Files.readString(dir.resolve("receipt.json"));
    assertTrue(receipt.contains("\"outcome\":\"cancelled\""), receipt);
    var verify = phase.run("verify", "--module", fixtureArg("loop.wasm"), "receipt.json");
    verify.assertExit(0);
    assertTrue(verify.stdout().strip().endsWith(": cancelled"), verify::describe);
  }

  @Test
  void readerClosingEarlyDoesNotHangOrBreakTheRun() throws Exception {
    Process process =
        phase
            .builder(
                "exec",
                "--key",
                "node.key",
                "--receipt",
                "receipt.json",
                fixtureArg("flood.wasm"),
                "4")
            .redirectError(dir.resolve("stderr").toFile())
            .start();
    try {
      process.getOutputStream().close();
      try (InputStream out = process.getInputStream()) {
        byte[] head = out.readNBytes(100); // like `phase exec ... | head -c 100`
        assertEquals("x".repeat(100), new String(head, java.nio.charset.StandardCharsets.US_ASCII));
      }
      assertTrue(process.waitFor(30, TimeUnit.SECONDS), "phase hung after its reader left");
      String stderr = Files.readString(dir.resolve("stderr"));
      assertEquals(0, process.exitValue(), stderr);
      assertEquals("", stderr, "a closed stdout is not an error of the guest's");
    } finally {
      PhaseRunner.kill(process);
    }
    // The guest ran to its end; its whole output is committed even though nobody read it.
    String receipt = Files.readString(dir.resolve("receipt.json"));
    assertTrue(receipt.contains("\"stdout_bytes\":" + (4 << 20)), receipt);
    assertTrue(receipt.contains("\"outcome\":\"exited\""), receipt);
  }

  /** Waits until the sandbox has started the guest's thread (so the job, and its hook, exist). */
  private static void awaitGuestThread(Process process, int seconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      assertTrue(process.isAlive(), () -> "phase exited early: " + process.exitValue());
      if (hasThreadNamed(process, "phase-guest-")) {
        Thread.sleep(300); // the shutdown hook is registered right after the job starts
        return;
      }
      Thread.sleep(50);
    }
    fail("the guest did not start within " + seconds + " s");
  }

  private static boolean hasThreadNamed(Process process, String prefix) throws IOException {
    Path tasks = Path.of("/proc", "" + process.pid(), "task");
    try (DirectoryStream<Path> threads = Files.newDirectoryStream(tasks)) {
      for (Path thread : threads) {
        try {
          if (Files.readString(thread.resolve("comm")).startsWith(prefix)) {
            return true;
          }
        } catch (IOException threadGone) {
          // threads come and go while we look
        }
      }
    }
    return false;
  }

  static long statusMask(Process process, String field) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", "" + process.pid(), "status"))) {
      if (line.startsWith(field + ":")) {
        return Long.parseUnsignedLong(line.substring(field.length() + 1).strip(), 16);
      }
    }
    throw new IOException("no " + field + " in /proc/" + process.pid() + "/status");
  }
}
