package io.phase.cli;

import static io.phase.cli.PhaseRunner.fixtureArg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * How {@code phase run} reports what went wrong, with real processes: concurrent clients with one
 * key, a bootstrap address whose peer id is wrong, a refusal that every worker would give, and
 * limits beyond the documented maximum.
 */
class RunErrorsIT {
  private static final Pattern DISPATCHED =
      Pattern.compile("(?m)^phase: dispatched job [0-9a-f]{64} to (\\S+) \\(attempt \\d+\\)$");

  @TempDir Path dir;

  /** The jobs overlap (12 s each) for longer than a client waits to join (8 s). */
  @Test
  @Timeout(300)
  void sixConcurrentRunsWithOneKeyAllSucceed() throws Exception {
    PhaseRunner phase = new PhaseRunner(dir);
    String key = dir.resolve("client.key").toString();
    phase.run("id", "--key", key).assertExit(0);
    try (PhaseNetwork net = PhaseNetwork.start(phase, 1, i -> List.of("--max-jobs", "6"))) {
      List<Process> clients = new ArrayList<>();
      List<Path> errs = new ArrayList<>();
      try {
        for (int i = 0; i < 6; i++) {
          Path out = dir.resolve("c" + i + ".stdout");
          Path err = dir.resolve("c" + i + ".stderr");
          errs.add(err);
          Process p =
              phase
                  .builder(
                      "run",
                      "--key",
                      key,
                      "--bootstrap",
                      net.bootstrap(),
                      "--discovery-timeout-s",
                      "8",
                      fixtureArg("ticker.wasm"),
                      "120",
                      "100")
                  .redirectOutput(out.toFile())
                  .redirectError(err.toFile())
                  .start();
          p.getOutputStream().close();
          clients.add(p);
        }
        for (int i = 0; i < clients.size(); i++) {
          Process p = clients.get(i);
          if (!p.waitFor(180, TimeUnit.SECONDS)) {
            fail("client " + i + " did not exit: " + Files.readString(errs.get(i)));
          }
          assertEquals(0, p.exitValue(), "client " + i + ":\n" + Files.readString(errs.get(i)));
        }
      } finally {
        for (Process p : clients) {
          PhaseRunner.kill(p);
        }
      }
    }
  }

  @Test
  @Timeout(120)
  void aWrongPeerIdInBootstrapSaysWhichPeerAnswered() throws Exception {
    PhaseRunner phase = new PhaseRunner(dir);
    String other = phase.run("id", "--key", dir.resolve("x.key").toString()).stdout().strip();
    try (PhaseNetwork net = PhaseNetwork.start(phase, 1, i -> List.of())) {
      String real = net.node(0).peer().toString();
      String bootstrap = net.bootstrap();
      assertTrue(bootstrap.endsWith("/p2p/" + real), bootstrap);
      String address = bootstrap.substring(0, bootstrap.length() - ("/p2p/" + real).length());
      var result =
          phase.run(
              "run",
              "--key",
              dir.resolve("client.key").toString(),
              "--bootstrap",
              address + "/p2p/" + other,
              "--discovery-timeout-s",
              "5",
              fixtureArg("io.wasm"),
              "exit",
              "0");
      result.assertPhaseError(
          ExitCodes.NETWORK_UNREACHABLE, "peer at " + address + " is " + real + ", not " + other);
    }
  }

  @Test
  @Timeout(180)
  void aRefusedJobIsRetriedOnlyOnOtherWorkersNeverTheSameOneAgain() throws Exception {
    PhaseRunner phase = new PhaseRunner(dir);
    try (PhaseNetwork net = PhaseNetwork.start(phase, 2, i -> List.of("--max-timeout-s", "60"))) {
      var result =
          phase.run(
              "run",
              "--key",
              dir.resolve("client.key").toString(),
              "--bootstrap",
              net.bootstrap(),
              "--retries",
              "4",
              "--timeout-s",
              "120",
              fixtureArg("io.wasm"),
              "exit",
              "0");
      result.assertExit(ExitCodes.NO_WORKER).assertNoStackTrace();
      Matcher m = DISPATCHED.matcher(result.stderr());
      List<String> workers = new ArrayList<>();
      while (m.find()) {
        workers.add(m.group(1));
      }
      assertEquals(2, workers.size(), result::describe);
      assertEquals(2, workers.stream().distinct().count(), result::describe);
      List<String> lines = result.phaseLines();
      String last = lines.get(lines.size() - 1);
      assertTrue(last.contains("InsufficientResources") && last.contains("time"), result::describe);
    }
  }

  @Test
  @Timeout(120)
  void aTimeoutBeyondTheMaximumIsRefusedInsteadOfLowered() throws Exception {
    PhaseRunner phase = new PhaseRunner(dir);
    String key = dir.resolve("k.key").toString();
    phase
        .run("exec", "--key", key, "--timeout-s", "7200", fixtureArg("io.wasm"), "exit", "0")
        .assertPhaseError(
            ExitCodes.PHASE_ERROR, "--timeout-s must be between 1 and 3600, got 7200");
    phase
        .run(
            "run",
            "--key",
            key,
            "--bootstrap",
            "/ip4/127.0.0.1/tcp/1/p2p/" + phase.run("id", "--key", key).stdout().strip(),
            "--timeout-s",
            "3601",
            fixtureArg("io.wasm"),
            "exit",
            "0")
        .assertPhaseError(
            ExitCodes.PHASE_ERROR, "--timeout-s must be between 1 and 3600, got 3601");
    phase
        .run("node", "--key", key, "--max-timeout-s", "3601")
        .assertPhaseError(ExitCodes.USAGE, "--max-timeout-s must be between 1 and 3600");
  }

  @Test
  @Timeout(120)
  void modulesUpTo256MiBAreSentToTheWorker() throws Exception {
    PhaseRunner phase = new PhaseRunner(dir);
    Path big = dir.resolve("big.wasm");
    try (var out = Files.newOutputStream(big)) {
      out.write(new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0});
      out.write(new byte[(int) (65L << 20)]);
    }
    // Larger than the old 64 MiB client cap: it now reaches the sandbox, which finds it malformed.
    var result = phase.run("exec", "--key", dir.resolve("k.key").toString(), big.toString());
    result.assertExit(ExitCodes.INVALID_MODULE).assertNoStackTrace();
    assertFalse(result.stderr().contains("larger than the limit"), result::describe);
  }
}
