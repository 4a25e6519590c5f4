package io.phase.jenkins.library;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phase.core.receipt.OutputChunk;
import io.phase.core.receipt.OutputKind;
import io.phase.core.receipt.Transcript;
import io.phase.core.receipt.TranscriptReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * phaseRun against a real Phase network: two {@code phase node} workers on 127.0.0.1, started once
 * for the class, and the real CLI on the agent (PHASE names its launcher, PHASE_BOOTSTRAP the first
 * worker).
 */
class PhaseRunOnWorkersTest extends PhasePipelineTest {
  /** The line {@code phase run} prints once it has verified the worker's receipt. */
  private static final Pattern RECEIPT_VERIFIED =
      Pattern.compile("phase: receipt verified: job (\\w+) on (\\w+)\n");

  /** The status the io.wasm guest is asked to exit with. */
  private static final int GUEST_STATUS = 3;

  @TempDir static Path network;

  static PhaseCli cli;
  static PhaseWorkers workers;

  @BeforeAll
  static void startWorkers() throws Exception {
    cli = PhaseCli.install(network.resolve("cli"));
    workers = PhaseWorkers.start(cli, network, 2);
  }

  @AfterAll
  static void stopWorkers() throws InterruptedException {
    if (workers != null) {
      workers.close();
    }
  }

  @BeforeEach
  void agentWithThePhaseCli() {
    agent.env().put("PHASE", cli.launcher().toString());
    agent.env().put("PHASE_BOOTSTRAP", workers.bootstrap());
    agent.env().put("XDG_CONFIG_HOME", cli.configHome().toString());
  }

  @Test
  void exampleJenkinsfileRunsTheStepOnAWorkerAndArchivesAVerifiedReceipt() throws Exception {
    Files.copy(PhaseCli.example("hello-step.wasm"), agent.repository().resolve("hello-step.wasm"));
    agent.env().put("BUILD_NUMBER", "42");

    runPipeline("Jenkinsfile");

    assertEquals("SUCCESS", buildResult());
    String console = agent.console();
    for (String line :
        List.of(
            "hello-step: hello from a WebAssembly build step",
            "  [1] first",
            "  [2] second arg",
            "BUILD_NUMBER=42",
            "hello-step: done")) {
      assertTrue(
          console.contains("\n" + line + "\n"), () -> "no line '" + line + "' in\n" + console);
    }
    Matcher verified = receiptVerified(console);
    String job = verified.group(1);
    String worker = verified.group(2);
    assertTrue(workers.peerIds().contains(worker), () -> worker + " is not one of our workers");

    String receipt = "phase-receipts/1-hello-step.receipt.json";
    String transcript = "phase-receipts/1-hello-step.transcript.jsonl";
    assertEquals(List.of(receipt, transcript), agent.archived());
    PhaseCli.Result verify =
        cli.run(
            "verify",
            "--module",
            agent.workspace().resolve("hello-step.wasm").toString(),
            "--transcript",
            agent.archivedFile(transcript).toString(),
            "--worker",
            worker,
            agent.archivedFile(receipt).toString());
    assertEquals(0, verify.status(), verify::describe);
    assertTrue(
        verify.stdout().startsWith("valid: job " + job + " ran sha256:")
            && verify.stdout().endsWith(" on " + worker + ": exited(0)\n"),
        verify::describe);
  }

  @Test
  void aModuleExitingNonZeroFailsTheBuildWithItsStatus() throws Exception {
    copyFixture("io.wasm");

    PipelineError error =
        assertThrows(
            PipelineError.class,
            () -> phaseRun(parameters("module", "io.wasm", "args", exit(GUEST_STATUS))));

    assertEquals(
        "phaseRun: io.wasm failed with status " + GUEST_STATUS + " (the guest's exit code)",
        error.getMessage());
    assertEquals("FAILURE", buildResult());
    receiptVerified(agent.console());
    assertEquals(
        List.of("phase-receipts/1-io.receipt.json", "phase-receipts/1-io.transcript.jsonl"),
        agent.archived());
  }

  @Test
  void returnStatusReturnsTheModulesExitCode() throws Exception {
    copyFixture("io.wasm");

    Object status =
        phaseRun(parameters("module", "io.wasm", "args", exit(GUEST_STATUS), "returnStatus", true));

    assertEquals(GUEST_STATUS, status);
    assertEquals("SUCCESS", buildResult());
  }

  @Test
  void shellHostileArgumentsAndValuesReachTheGuestVerbatim() throws Exception {
    copyFixture("io.wasm");
    List<String> words =
        List.of(
            "two words",
            "it's",
            "\"double\"",
            "$HOME",
            "${PATH}",
            "`id`",
            "$(id)",
            "a;b|c&d>e<f",
            "*",
            "back\\slash\\",
            "'",
            "'\\''",
            "--help",
            "",
            "line\nbreak");
    List<String> echoArgs = new ArrayList<>(List.of("echo-args"));
    echoArgs.addAll(words);
    String value = "it's $HOME `id` \"q\" $(id) a=b; c\\";

    phaseRun(parameters("module", "io.wasm", "args", echoArgs));
    Map<String, Object> variables = new LinkedHashMap<>();
    variables.put("HOSTILE", value);
    variables.put("EMPTY", "");
    phaseRun(
        parameters(
            "module", "io.wasm", "args", List.of("env", "HOSTILE", "EMPTY"), "env", variables));

    assertEquals(
        String.join("\n", words) + "\n", guestStdout("phase-receipts/1-io.transcript.jsonl"));
    assertEquals(
        "HOSTILE=" + value + "\nEMPTY=\n", guestStdout("phase-receipts/2-io.transcript.jsonl"));
  }

  /** io.wasm's arguments to exit with {@code status}. */
  private static List<String> exit(int status) {
    return List.of("exit", String.valueOf(status));
  }

  private void copyFixture(String name) throws Exception {
    Files.copy(PhaseCli.fixture(name), agent.workspace().resolve(name));
  }

  private static Matcher receiptVerified(String console) {
    Matcher verified = RECEIPT_VERIFIED.matcher(console);
    assertTrue(verified.find(), () -> "no verified receipt in\n" + console);
    return verified;
  }

  /** What the guest wrote to stdout, from the archived transcript of its run. */
  private String guestStdout(String archivedTranscript) throws Exception {
    Transcript transcript;
    try (InputStream in = Files.newInputStream(agent.archivedFile(archivedTranscript))) {
      transcript = TranscriptReader.readAll(in, Transcript.MAX_LINE_BYTES, 1 << 20);
    }
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    for (OutputChunk chunk : transcript.chunks()) {
      if (chunk.kind() == OutputKind.STDOUT) {
        stdout.write(chunk.data());
      }
    }
    return stdout.toString(StandardCharsets.UTF_8);
  }
}
