package io.phase.jenkins.library;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * phaseRun where no worker is needed: parameter checks, the command line it builds, the statuses it
 * reports, and the real CLI failing before it reaches a network.
 */
class PhaseRunWithoutWorkersTest extends PhasePipelineTest {
  @TempDir static Path shared;

  static PhaseCli cli;

  @BeforeAll
  static void installCli() throws Exception {
    cli = PhaseCli.install(shared.resolve("cli"));
  }

  static Stream<Arguments> badParameters() {
    return Stream.of(
        Arguments.of(
            parameters("modul", "step.wasm"),
            "phaseRun: unknown parameter 'modul' (known: module, args, env, dir, memoryMb,"),
        Arguments.of(parameters("args", List.of("x")), "phaseRun: missing module"),
        Arguments.of(parameters("module", " "), "phaseRun: missing module"),
        Arguments.of(parameters("module", 42), "phaseRun: module must be a non-empty string"),
        Arguments.of(
            parameters("module", "step.wasm", "args", "one two"),
            "phaseRun: args must be a list of strings"),
        Arguments.of(
            parameters("module", "step.wasm", "args", List.of("ok", List.of("nested"))),
            "phaseRun: args[1] must be a string, number or boolean, not a list"),
        Arguments.of(
            parameters("module", "step.wasm", "env", List.of("K=V")),
            "phaseRun: env must be a map of variables"),
        Arguments.of(
            parameters("module", "step.wasm", "env", Map.of("A=B", "c")),
            "phaseRun: env names must be non-empty strings without = or NUL"),
        Arguments.of(
            parameters("module", "step.wasm", "memoryMb", "lots"),
            "phaseRun: memoryMb must be a whole number of at least 1, not the string 'lots'"),
        Arguments.of(
            parameters("module", "step.wasm", "timeoutS", 0),
            "phaseRun: timeoutS must be a whole number of at least 1, not the number 0"),
        Arguments.of(
            parameters("module", "step.wasm", "retries", 1.5),
            "phaseRun: retries must be a whole number of at least 0, not the number 1.5"),
        Arguments.of(
            parameters("module", "step.wasm", "worker", List.of()),
            "phaseRun: worker must be a non-empty string, not a list"),
        Arguments.of(
            parameters("module", "step.wasm", "bootstrap", " , "),
            "phaseRun: bootstrap names no multiaddr"),
        Arguments.of(
            parameters("module", "step.wasm", "returnStatus", "yes"),
            "phaseRun: returnStatus must be true or false, not the string 'yes'"));
  }

  @ParameterizedTest
  @MethodSource("badParameters")
  void badParametersFailTheBuildWithoutRunningAnything(
      Map<String, Object> parameters, String message) {
    PipelineError error = assertThrows(PipelineError.class, () -> phaseRun(parameters));
    assertTrue(error.getMessage().startsWith(message), () -> "message: " + error.getMessage());
    assertEquals("FAILURE", buildResult());
    assertEquals(List.of(), agent.scripts());
    assertEquals(List.of(), agent.archived());
  }

  @Test
  void everyParameterBecomesItsOptionBeforeTheModuleAndArgsFollowIt() throws Exception {
    Path argv = installArgvRecorder(0);
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("module", "steps/my step.wasm");
    parameters.put("args", List.of("--help", "x y", 7, "it's `$HOME`"));
    parameters.put("env", parameters("A", "1", "B", "two words"));
    parameters.put("dir", "ws");
    parameters.put("memoryMb", 64);
    parameters.put("timeoutS", "30");
    parameters.put("maxOutputMb", 2);
    parameters.put("worker", "12D3KooWWorker");
    parameters.put("retries", 0);
    parameters.put("bootstrap", List.of("/ip4/127.0.0.1/tcp/1/p2p/12D3KooWOne", "/dns4/two/tcp/2"));

    assertEquals(0, phaseRun(parameters));

    List<String> words = recordedArgv(argv);
    int module = words.indexOf("steps/my step.wasm");
    assertTrue(module > 0, () -> "no module in " + words);
    assertEquals("run", words.get(0));
    assertEquals(
        List.of(
            "--bootstrap /dns4/two/tcp/2",
            "--bootstrap /ip4/127.0.0.1/tcp/1/p2p/12D3KooWOne",
            "--dir ws",
            "--env A=1",
            "--env B=two words",
            "--max-output-mb 2",
            "--memory-mb 64",
            "--receipt phase-receipts/1-my_step.receipt.json",
            "--retries 0",
            "--timeout-s 30",
            "--transcript phase-receipts/1-my_step.transcript.jsonl",
            "--worker 12D3KooWWorker"),
        optionPairs(words.subList(1, module)));
    assertEquals(
        List.of("--help", "x y", "7", "it's `$HOME`"), words.subList(module + 1, words.size()));
  }

  @Test
  void callsOfOneBuildNumberTheirReceipts() throws Exception {
    Path argv = installArgvRecorder(0);
    phaseRun("first.wasm");
    List<String> first = recordedArgv(argv);
    phaseRun(parameters("module", "dir/second.WASM"));
    List<String> second = recordedArgv(argv);

    assertEquals("phase-receipts/1-first.receipt.json", first.get(first.indexOf("--receipt") + 1));
    assertEquals(
        "phase-receipts/2-second.receipt.json", second.get(second.indexOf("--receipt") + 1));
    assertEquals("2", agent.env().get("PHASE_RUN_COUNT"));
  }

  @Test
  void aReceiptLeftByAnEarlierBuildIsNotArchivedAgain() throws Exception {
    installArgvRecorder(0);
    Path stale = agent.workspace().resolve("phase-receipts/1-step.receipt.json");
    Files.createDirectories(stale.getParent());
    Files.writeString(stale, "{}");

    phaseRun("step.wasm");

    assertFalse(Files.exists(stale), "the earlier build's receipt is still there");
    assertEquals(List.of(), agent.archived());
  }

  static Stream<Arguments> statuses() {
    return Stream.of(
        Arguments.of(121, "no bootstrap peer could be reached"),
        Arguments.of(122, "no worker ran the job: none found, or every attempt refused or lost"),
        Arguments.of(123, "the worker's receipt or output failed verification"),
        Arguments.of(137, "memory limit"),
        Arguments.of(7, "the guest's exit code"));
  }

  @ParameterizedTest
  @MethodSource("statuses")
  void aFailedRunFailsTheBuildWithItsStatusAndMeaning(int status, String meaning) throws Exception {
    installArgvRecorder(status);
    PipelineError error = assertThrows(PipelineError.class, () -> phaseRun("step.wasm"));
    assertEquals(
        "phaseRun: step.wasm failed with status " + status + " (" + meaning + ")",
        error.getMessage());
  }

  @Test
  void withoutPhaseSetThePhaseOnThePathRuns() throws Exception {
    Path argv = installArgvRecorder(0);
    Path launcher = Path.of(String.valueOf(agent.env().remove("PHASE")));
    agent.env().put("PATH", launcher.getParent() + ":" + System.getenv("PATH"));
    assertEquals(0, phaseRun("step.wasm"));
    List<String> words = recordedArgv(argv);
    assertEquals("step.wasm", words.get(words.size() - 1));
  }

  @Test
  void aMissingLauncherFailsWithStatus125AndSaysWhy() {
    Path missing = build.resolve("nowhere").resolve("phase");
    agent.env().put("PHASE", missing.toString());
    PipelineError error = assertThrows(PipelineError.class, () -> phaseRun("step.wasm"));
    assertTrue(
        error.getMessage().startsWith("phaseRun: step.wasm failed with status 125 ("),
        error::getMessage);
    assertTrue(
        agent.console().contains("\nphaseRun: cannot run the phase CLI '" + missing + "'"),
        agent::console);
  }

  @Test
  void withoutBootstrapPeersTheCliFailsWith125() throws Exception {
    Files.copy(PhaseCli.fixture("io.wasm"), agent.workspace().resolve("io.wasm"));
    agent.env().put("PHASE", cli.launcher().toString());
    agent.env().put("XDG_CONFIG_HOME", cli.configHome().toString());

    PipelineError error = assertThrows(PipelineError.class, () -> phaseRun("io.wasm"));

    assertTrue(
        error.getMessage().startsWith("phaseRun: io.wasm failed with status 125 (phase itself"),
        error::getMessage);
    assertTrue(
        agent
            .console()
            .contains("phase: no bootstrap peer: give --bootstrap or set PHASE_BOOTSTRAP"),
        agent::console);
    assertEquals(List.of(), agent.archived());
  }

  /**
   * Makes PHASE a fake CLI that records its arguments (NUL-separated, in the returned file) and
   * exits with {@code status}.
   */
  private Path installArgvRecorder(int status) throws Exception {
    Path dir = Files.createDirectories(build.resolve("fake-cli"));
    Path argv = dir.resolve("argv");
    Path launcher = dir.resolve("phase");
    Files.writeString(
        launcher,
        "#!/bin/sh\n"
            + "for word in \"$@\"; do printf '%s\\0' \"$word\"; done > "
            + Shell.quote(argv.toString())
            + "\nexit "
            + status
            + "\n");
    Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
    agent.env().put("PHASE", launcher.toString());
    return argv;
  }

  private static List<String> recordedArgv(Path argv) throws Exception {
    String recorded = Files.readString(argv, StandardCharsets.UTF_8);
    assertTrue(recorded.endsWith("\0"), () -> "not NUL-terminated: " + recorded);
    return Arrays.asList(recorded.substring(0, recorded.length() - 1).split("\0", -1));
  }

  /** Options as "flag value" strings, sorted: their order on the command line does not matter. */
  private static List<String> optionPairs(List<String> options) {
    assertEquals(0, options.size() % 2, () -> "options without values: " + options);
    List<String> pairs = new ArrayList<>();
    for (int i = 0; i < options.size(); i += 2) {
      pairs.add(options.get(i) + " " + options.get(i + 1));
    }
    pairs.sort(null);
    return pairs;
  }
}
