package io.phase.cli;

import static io.phase.cli.PhaseRunner.fixtureArg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.phase.p2p.peer.PeerId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What happens to a remote job when a process goes away mid-run, with real {@code phase node} and
 * {@code phase run} processes: a worker killed (the job completes elsewhere, output neither lost
 * nor duplicated), a client killed (the worker cancels after the detach grace), Ctrl-C on the
 * client (the remote job is cancelled), a worker stopped with SIGTERM under {@code --on-shutdown
 * finish} (the running job finishes, new ones are refused).
 */
class RemoteFailureIT {
  private static final long SIGINT_BIT = 1L << (2 - 1);
  private static final Pattern DISPATCHED =
      Pattern.compile("(?m)^phase: dispatched job ([0-9a-f]{64}) to (\\S+) \\(attempt \\d+\\)$");

  @TempDir Path dir;
  PhaseRunner phase;
  String clientKey;

  @BeforeEach
  void setUp() {
    phase = new PhaseRunner(dir);
    clientKey = dir.resolve("client.key").toString();
  }

  /** {@code ticker count ms}'s output: "tick 1" ... "tick count". */
  private static String ticks(int count) {
    return IntStream.rangeClosed(1, count)
        .mapToObj(i -> "tick " + i + "\n")
        .collect(Collectors.joining());
  }

  /** A {@code phase run} process in the background, output in files named after {@code name}. */
  private final class Client {
    final Process process;
    final Path stdout;
    final Path stderr;

    Client(String name, String... args) throws IOException {
      stdout = dir.resolve(name + ".stdout");
      stderr = dir.resolve(name + ".stderr");
      List<String> command = new ArrayList<>(List.of("run", "--key", clientKey));
      command.addAll(List.of(args));
      process =
          phase
              .builder(command.toArray(String[]::new))
              .redirectOutput(stdout.toFile())
              .redirectError(stderr.toFile())
              .start();
      process.getOutputStream().close();
    }

    String out() throws IOException {
      return Files.readString(stdout);
    }

    String err() throws IOException {
      return Files.readString(stderr);
    }

    /** Waits until the guest's output contains {@code text}. */
    void awaitOutput(String text) throws Exception {
      await(
          () -> {
            try {
              return out().contains(text);
            } catch (IOException e) {
              return false;
            }
          },
          90,
          () -> "no '" + text + "' in the output: " + describe());
    }

    /** The (job id, worker) of the latest dispatch line. */
    String[] lastDispatch() throws IOException {
      Matcher m = DISPATCHED.matcher(err());
      String[] last = null;
      while (m.find()) {
        last = new String[] {m.group(1), m.group(2)};
      }
      assertTrue(last != null, "no dispatch line: " + err());
      return last;
    }

    int awaitExit(int seconds) throws Exception {
      if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
        fail("phase run did not exit within " + seconds + " s: " + describe());
      }
      return process.exitValue();
    }

    /** Standard error only (for runs with large output). */
    String errors() {
      try {
        return "\n--- stderr\n" + err();
      } catch (IOException e) {
        return e.toString();
      }
    }

    String describe() {
      try {
        String out = out();
        if (out.length() > 4000) {
          out = out.substring(0, 4000) + "... (" + out.length() + " chars)";
        }
        return "\n--- stdout\n" + out + "\n--- stderr\n" + err();
      } catch (IOException e) {
        return e.toString();
      }
    }
  }

  private static void await(
      BooleanSupplier condition, int seconds, java.util.function.Supplier<String> what)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail(what.get());
      }
      Thread.sleep(100);
    }
  }

  private static void awaitLog(PhaseNetwork.Node node, String text, int seconds) throws Exception {
    await(
        () -> {
          try {
            return node.log().contains(text);
          } catch (IOException e) {
            return false;
          }
        },
        seconds,
        () -> {
          try {
            return "no '" + text + "' in node " + node.index() + "'s log:\n" + node.log();
          } catch (IOException e) {
            return e.toString();
          }
        });
  }

  /** The outcome on the worker's {@code job_finished} line for {@code job}. */
  private static String finishedOutcome(PhaseNetwork.Node node, String job) throws IOException {
    Matcher m =
        Pattern.compile("job_finished job=" + job + " peer=\\S+ outcome=(\\w+)")
            .matcher(node.log());
    assertTrue(m.find(), node::toString);
    return m.group(1);
  }

  @Test
  @Timeout(400)
  void workerKilledMidJobTheJobCompletesOnTheOtherWorkerWithoutLossOrDuplication()
      throws Exception {
    String ticker = fixtureArg("ticker.wasm");
    var local = phase.run("exec", "--key", clientKey, ticker, "60", "100").assertExit(0);
    assertEquals(ticks(60), local.stdout());
    try (PhaseNetwork net = PhaseNetwork.start(phase, 2, i -> List.of())) {
      Client client =
          new Client(
              "chaos",
              "--bootstrap",
              net.bootstrap(),
              "--receipt",
              "r.json",
              "--transcript",
              "t.jsonl",
              ticker,
              "60",
              "100");
      try {
        client.awaitOutput("tick 5\n");
        PeerId first = PeerId.parse(client.lastDispatch()[1]);
        PhaseNetwork.Node victim = net.byPeer(first).orElseThrow();
        PhaseNetwork.signal(victim.process(), "KILL");
        assertEquals(0, client.awaitExit(180), client::describe);
        assertEquals(local.stdout(), client.out(), client::describe);
        PeerId second = PeerId.parse(client.lastDispatch()[1]);
        assertNotEquals(first, second, client::describe);
        assertTrue(client.err().contains("trying another worker"), client::describe);
        phase
            .run(
                "verify",
                "--module",
                ticker,
                "--transcript",
                "t.jsonl",
                "--worker",
                second.toString(),
                "r.json")
            .assertExit(0);
      } finally {
        PhaseRunner.kill(client.process);
      }
    }
  }

  @Test
  @Timeout(300)
  void clientKilledMidJobTheWorkerCancelsItAfterTheDetachGrace() throws Exception {
    try (PhaseNetwork net = PhaseNetwork.start(phase, 1, i -> List.of("--detach-grace-s", "2"))) {
      Client client =
          new Client(
              "vanish", "--bootstrap", net.bootstrap(), fixtureArg("ticker.wasm"), "600", "100");
      try {
        client.awaitOutput("tick 3\n");
        String job = client.lastDispatch()[0];
        PhaseNetwork.signal(client.process, "KILL");
        client.awaitExit(30);
        PhaseNetwork.Node worker = net.node(0);
        awaitLog(worker, "job_detached job=" + job + " grace_ms=2000", 60);
        awaitLog(worker, "job_abandoned job=" + job, 60);
        awaitLog(worker, "job_finished job=" + job, 60);
        assertEquals("cancelled", finishedOutcome(worker, job), worker.log());
      } finally {
        PhaseRunner.kill(client.process);
      }
    }
  }

  /**
   * A real {@code phase run} stopped with SIGSTOP long enough for the worker's keep-alive (30 s
   * pings) to drop its connection, then continued, gets its whole output and a verified receipt.
   * The worker's detach grace is 2 s here (30 s by default) so that, without the rule under test,
   * the job would certainly be cancelled while the client is stopped: the stop lasts until the
   * worker has logged the detach (at most 60 s after the stop: one unanswered ping, closed at the
   * next) plus three grace periods. The job outlives it because its guest is paused for room (48
   * MiB of output, far more than the replay buffer and the connection's windows hold), not running.
   */
  @Test
  @Timeout(400)
  void aClientStoppedPastTheKeepAliveGetsItsWholeOutputAfterSigcont() throws Exception {
    String flood = fixtureArg("flood.wasm");
    int mib = 48;
    try (PhaseNetwork net = PhaseNetwork.start(phase, 1, i -> List.of("--detach-grace-s", "2"))) {
      Client client =
          new Client(
              "stopped",
              "--bootstrap",
              net.bootstrap(),
              "--receipt",
              "r.json",
              "--transcript",
              "t.jsonl",
              "--timeout-s",
              "300",
              "--max-output-mb",
              "64",
              flood,
              Integer.toString(mib));
      try {
        await(
            () -> client.stdout.toFile().length() >= 1 << 20,
            90,
            () -> "no output before the stop: " + client.errors());
        String job = client.lastDispatch()[0];
        long stopped = System.nanoTime();
        PhaseNetwork.signal(client.process, "STOP");
        PhaseNetwork.Node worker = net.node(0);
        try {
          awaitLog(worker, "job_detached job=" + job, 90);
          Thread.sleep(6_000); // three detach grace periods
          assertTrue(
              worker.log().contains("job_detach_extended job=" + job),
              () -> "the paused job's grace was not extended:\n" + logOf(worker));
          assertFalse(
              worker.log().contains("job_abandoned job=" + job),
              () -> "the paused job was abandoned:\n" + logOf(worker));
        } finally {
          PhaseNetwork.signal(client.process, "CONT");
        }
        long stoppedSeconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - stopped);
        assertTrue(stoppedSeconds >= 30, "stopped only " + stoppedSeconds + " s");
        assertEquals(0, client.awaitExit(180), client::errors);
        assertTrue(client.err().contains("reconnected to "), client::errors);
        assertFalse(client.err().contains("trying another worker"), client::errors);
        byte[] out = Files.readAllBytes(client.stdout);
        assertEquals((long) mib << 20, out.length, "output bytes");
        for (byte b : out) {
          if (b != 'x') {
            fail("unexpected byte " + b + " in the output");
          }
        }
        phase
            .run(
                "verify",
                "--module",
                flood,
                "--transcript",
                "t.jsonl",
                "--worker",
                worker.peer().toString(),
                "r.json")
            .assertExit(0);
      } finally {
        PhaseRunner.kill(client.process);
      }
    }
  }

  private static String logOf(PhaseNetwork.Node node) {
    try {
      return node.log();
    } catch (IOException e) {
      return e.toString();
    }
  }

  @Test
  @Timeout(300)
  void ctrlCOnTheClientCancelsTheRemoteJob() throws Exception {
    try (PhaseNetwork net = PhaseNetwork.start(phase, 1, i -> List.of())) {
      Client client =
          new Client(
              "sigint", "--bootstrap", net.bootstrap(), fixtureArg("ticker.wasm"), "600", "100");
      try {
        client.awaitOutput("tick 3\n");
        assumeTrue(
            (InterruptIT.statusMask(client.process, "SigCgt") & SIGINT_BIT) != 0,
            "the JVM was started with SIGINT ignored");
        String job = client.lastDispatch()[0];
        PhaseNetwork.signal(client.process, "INT");
        assertEquals(ExitCodes.CANCELLED, client.awaitExit(30), client::describe);
        assertTrue(client.err().contains("phase: cancelled"), client::describe);
        PhaseNetwork.Node worker = net.node(0);
        awaitLog(worker, "job_cancel_requested job=" + job, 30);
        awaitLog(worker, "job_finished job=" + job, 30);
        assertEquals("cancelled", finishedOutcome(worker, job), worker.log());
      } finally {
        PhaseRunner.kill(client.process);
      }
    }
  }

  @Test
  @Timeout(400)
  void sigtermWithOnShutdownFinishLetsTheRunningJobFinishAndRefusesNewOnes() throws Exception {
    String ticker = fixtureArg("ticker.wasm");
    try (PhaseNetwork net =
        PhaseNetwork.start(
            phase,
            2,
            i ->
                i == 1
                    ? List.of("--on-shutdown", "finish", "--shutdown-grace-s", "120")
                    : List.of())) {
      PhaseNetwork.Node draining = net.node(1);
      String pin = draining.peer().toString();
      Client running =
          new Client(
              "running", "--bootstrap", net.bootstrap(), "--worker", pin, ticker, "250", "100");
      try {
        running.awaitOutput("tick 3\n");
        PhaseNetwork.signal(draining.process(), "TERM");
        awaitLog(draining, "worker_draining", 30);
        var refused =
            phase.run(
                "run",
                "--key",
                clientKey,
                "--bootstrap",
                net.bootstrap(),
                "--worker",
                pin,
                "--retries",
                "0",
                fixtureArg("io.wasm"),
                "exit",
                "0");
        assertTrue(draining.process().isAlive(), "the worker stopped before the refusal test");
        refused.assertExit(ExitCodes.NO_WORKER).assertNoStackTrace();
        List<String> lines = refused.phaseLines();
        assertTrue(lines.get(lines.size() - 1).contains("QueueFull"), refused::describe);

        assertEquals(0, running.awaitExit(120), running::describe);
        assertEquals(ticks(250), running.out(), running::describe);
        assertTrue(draining.process().waitFor(60, TimeUnit.SECONDS), "worker did not stop");
        assertTrue(draining.log().contains("worker_drained remaining_jobs=0"), draining.log());
      } finally {
        PhaseRunner.kill(running.process);
      }
    }
  }
}
