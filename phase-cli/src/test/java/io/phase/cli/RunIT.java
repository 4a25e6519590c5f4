package io.phase.cli;

import static io.phase.cli.PhaseRunner.fixtureArg;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phase.p2p.peer.PeerId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code phase run} through a network of real {@code phase node} processes: the same output and
 * exit status as {@code phase exec}, a receipt that verifies against the worker that ran the job,
 * pinning, and every rejection reaching the user as one line.
 */
class RunIT {
  private static final Pattern DISPATCHED =
      Pattern.compile("(?m)^phase: dispatched job ([0-9a-f]{64}) to (\\S+) \\(attempt (\\d+)\\)$");

  @TempDir Path dir;

  /** The workers the job was dispatched to, in order, from phase run's stderr. */
  static List<PeerId> dispatchedTo(String stderr) {
    List<PeerId> peers = new ArrayList<>();
    Matcher m = DISPATCHED.matcher(stderr);
    while (m.find()) {
      peers.add(PeerId.parse(m.group(2)));
    }
    return peers;
  }

  static PeerId lastWorker(PhaseRunner.Result result) {
    List<PeerId> peers = dispatchedTo(result.stderr());
    assertTrue(!peers.isEmpty(), result::describe);
    return peers.get(peers.size() - 1);
  }

  /** The last {@code phase: } line of stderr (the one that says why phase failed). */
  static String lastPhaseLine(PhaseRunner.Result result) {
    List<String> lines = result.phaseLines();
    assertTrue(!lines.isEmpty(), result::describe);
    return lines.get(lines.size() - 1);
  }

  @Test
  @Timeout(600)
  void runMatchesExecVerifiesAndReportsRejections() throws Exception {
    PhaseRunner phase = new PhaseRunner(dir);
    String key = dir.resolve("client.key").toString();
    String io = fixtureArg("io.wasm");
    try (PhaseNetwork net = PhaseNetwork.start(phase, 2, i -> List.of("--max-memory-mb", "1024"))) {
      List<List<String>> cases =
          List.of(
              List.of("echo-args", "one", "two words", "--help"),
              List.of("--env", "GREETING=hi there", "--env", "EMPTY=", io, "env"),
              List.of("exit", "7"),
              List.of("mixed"));
      for (List<String> c : cases) {
        List<String> options = new ArrayList<>();
        List<String> guest = new ArrayList<>(c);
        if (c.get(0).startsWith("--")) {
          int at = c.indexOf(io);
          options.addAll(c.subList(0, at));
          guest = new ArrayList<>(c.subList(at + 1, c.size()));
          guest.addAll(List.of("GREETING", "EMPTY", "HOME"));
        }
        List<String> exec = new ArrayList<>(List.of("exec", "--key", key));
        exec.addAll(options);
        exec.add(io);
        exec.addAll(guest);
        var local = phase.run(exec.toArray(String[]::new));
        List<String> run =
            new ArrayList<>(List.of("run", "--key", key, "--bootstrap", net.bootstrap()));
        run.addAll(options);
        run.addAll(List.of("--receipt", "r.json", "--transcript", "t.jsonl", io));
        run.addAll(guest);
        var remote = phase.run(run.toArray(String[]::new));
        remote.assertExit(local.exitCode());
        assertArrayEquals(local.stdoutBytes(), remote.stdoutBytes(), remote::describe);
        assertEquals(
            local.stderr().lines().filter(l -> !l.startsWith("phase: ")).toList(),
            remote.stderr().lines().filter(l -> !l.startsWith("phase: ")).toList(),
            remote::describe);
        assertTrue(remote.stderr().contains("phase: receipt verified: job "), remote::describe);
        remote.assertNoStackTrace();
        verify(phase, io, lastWorker(remote));
      }

      // stdin piped through `--stdin -`, byte for byte.
      byte[] input = "line one\nline two\n\u00e9\u0000tail".getBytes(StandardCharsets.UTF_8);
      var cat =
          phase
              .run(
                  input,
                  "run",
                  "--key",
                  key,
                  "--bootstrap",
                  net.bootstrap(),
                  "--stdin",
                  "-",
                  "--receipt",
                  "r.json",
                  "--transcript",
                  "t.jsonl",
                  io,
                  "cat")
              .assertExit(0);
      assertArrayEquals(input, cat.stdoutBytes(), cat::describe);
      verify(phase, io, lastWorker(cat));

      // --worker pins the job: every attempt goes to that worker, and it signed the receipt.
      for (PhaseNetwork.Node node : net.nodes()) {
        var pinned =
            phase
                .run(
                    "run",
                    "--key",
                    key,
                    "--bootstrap",
                    net.bootstrap(),
                    "--worker",
                    node.peer().toString(),
                    "--receipt",
                    "r.json",
                    "--transcript",
                    "t.jsonl",
                    io,
                    "echo-args",
                    "pinned")
                .assertExit(0);
        assertEquals("pinned\n", pinned.stdout());
        assertEquals(List.of(node.peer()), dispatchedTo(pinned.stderr()), pinned::describe);
        verify(phase, io, node.peer());
        // ...and the other worker's id does not verify it.
        PhaseNetwork.Node other = net.node(1 - node.index());
        phase
            .run("verify", "--worker", other.peer().toString(), "r.json")
            .assertExit(ExitCodes.INVALID);
      }

      // More memory than any worker offers: every worker refuses; the reason reaches the user.
      var memory =
          phase.run(
              "run",
              "--key",
              key,
              "--bootstrap",
              net.bootstrap(),
              "--memory-mb",
              "2048",
              io,
              "exit",
              "0");
      memory.assertExit(ExitCodes.NO_WORKER).assertNoStackTrace();
      String why = lastPhaseLine(memory);
      assertTrue(why.contains("InsufficientResources") && why.contains("memory"), why);
      assertTrue(why.startsWith("phase: rejected: {"), why);
      assertEquals("", memory.stdout());
    }
  }

  @Test
  @Timeout(300)
  void workersThatDoNotAllowTheClientRefuseItWithAReason() throws Exception {
    PhaseRunner phase = new PhaseRunner(dir);
    String key = dir.resolve("client.key").toString();
    String someoneElse =
        phase.run("id", "--key", dir.resolve("other.key").toString()).assertExit(0).stdout();
    try (PhaseNetwork net =
        PhaseNetwork.start(phase, 2, i -> List.of("--allow", someoneElse.strip()))) {
      var refused =
          phase.run(
              "run",
              "--key",
              key,
              "--bootstrap",
              net.bootstrap(),
              fixtureArg("io.wasm"),
              "exit",
              "0");
      refused.assertExit(ExitCodes.NO_WORKER).assertNoStackTrace();
      String why = lastPhaseLine(refused);
      assertTrue(why.contains("not allowed"), refused::describe);
      assertEquals("", refused.stdout());
    }
  }

  @Test
  @Timeout(300)
  void bootstrapPeersComeFromPhaseBootstrapWhenNoOptionGivesThem() throws Exception {
    PhaseRunner phase = new PhaseRunner(dir);
    String key = dir.resolve("client.key").toString();
    String io = fixtureArg("io.wasm");
    var none =
        phase.runWithEnv(
            java.util.Collections.singletonMap("PHASE_BOOTSTRAP", null),
            "run",
            "--key",
            key,
            io,
            "exit",
            "0");
    none.assertPhaseError(
        ExitCodes.PHASE_ERROR, "no bootstrap peer: give --bootstrap or set PHASE_BOOTSTRAP");
    var bad = phase.runWithEnv(Map.of("PHASE_BOOTSTRAP", "/ip4/127.0.0.1/tcp/1"), "run", io);
    bad.assertPhaseError(ExitCodes.PHASE_ERROR, "PHASE_BOOTSTRAP: must end in /p2p/<peer id>");
    try (PhaseNetwork net = PhaseNetwork.start(phase, 2, i -> List.of())) {
      String nobody = phase.run("id", "--key", dir.resolve("x.key").toString()).stdout().strip();
      String peers = "/ip4/127.0.0.1/tcp/1/p2p/" + nobody + " , " + net.bootstrap();
      var run =
          phase.runWithEnv(
              Map.of("PHASE_BOOTSTRAP", peers), "run", "--key", key, io, "echo-args", "env");
      run.assertExit(0);
      assertEquals("env\n", run.stdout(), run::describe);
      var listed = phase.runWithEnv(Map.of("PHASE_BOOTSTRAP", net.bootstrap()), "peers");
      listed.assertExit(0);
      assertTrue(listed.stdout().contains(net.node(0).peer().toString()), listed::describe);
    }
  }

  @Test
  @Timeout(120)
  void noReachableBootstrapPeerExits121() throws Exception {
    PhaseRunner phase = new PhaseRunner(dir);
    String nobody = phase.run("id", "--key", dir.resolve("x.key").toString()).stdout().strip();
    var result =
        phase.run(
            "run",
            "--key",
            dir.resolve("client.key").toString(),
            "--bootstrap",
            "/ip4/127.0.0.1/tcp/1/p2p/" + nobody,
            "--discovery-timeout-s",
            "3",
            fixtureArg("io.wasm"),
            "exit",
            "0");
    result.assertPhaseError(ExitCodes.NETWORK_UNREACHABLE, "no bootstrap peer could be reached");
    assertEquals("", result.stdout());
  }

  @Test
  @Timeout(180)
  void demoRunsTheExampleAndVerifiesTheReceipt() throws Exception {
    var demo = new PhaseRunner(dir).run("demo").assertExit(0).assertNoStackTrace();
    assertTrue(demo.stdout().contains("receipt verified"), demo::describe);
    assertTrue(demo.stdout().contains("hello-step"), demo::describe);
  }

  /** {@code phase verify} of r.json with the module, the transcript and the worker passes. */
  static void verify(PhaseRunner phase, String module, PeerId worker) throws Exception {
    phase
        .run(
            "verify",
            "--module",
            module,
            "--transcript",
            "t.jsonl",
            "--worker",
            worker.toString(),
            "r.json")
        .assertExit(0);
  }
}
