package io.phase.cli;

import static io.phase.cli.PhaseRunner.fixtureArg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code phase exec} runs a guest and gets its arguments, environment, stdin, files and status. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ExecIT {
  @TempDir Path dir;
  PhaseRunner phase;
  String key;

  @BeforeEach
  void setUp() {
    phase = new PhaseRunner(dir);
    key = dir.resolve("node.key").toString();
  }

  @Test
  void argumentsAfterModuleReachTheGuestVerbatim() throws Exception {
    var run =
        phase.run(
            "exec",
            "--key",
            key,
            fixtureArg("io.wasm"),
            "echo-args",
            "--timeout-s",
            "1",
            "--help",
            "--",
            "-x",
            "",
            "two words",
            "ünï");
    run.assertExit(0);
    assertEquals("--timeout-s\n1\n--help\n--\n-x\n\ntwo words\nünï\n", run.stdout());
    assertEquals("", run.stderr(), run::describe);
  }

  @Test
  void envSetsTheGuestEnvironmentAndNothingElseLeaks() throws Exception {
    var run =
        phase.run(
            "exec",
            "--key",
            key,
            "--env",
            "GREETING=hello=world",
            "--env",
            "EMPTY=",
            fixtureArg("io.wasm"),
            "env",
            "GREETING",
            "EMPTY",
            "HOME",
            "PATH");
    run.assertExit(0);
    assertEquals("GREETING=hello=world\nEMPTY=\nHOME unset\nPATH unset\n", run.stdout());
  }

  @Test
  void stdinFromFile() throws Exception {
    byte[] input = new byte[300_000];
    for (int i = 0; i < input.length; i++) {
      input[i] = (byte) (i * 31 + 7);
    }
    Files.write(dir.resolve("input.bin"), input);
    var run = phase.run("exec", "--key", key, "--stdin", "input.bin", fixtureArg("io.wasm"), "cat");
    run.assertExit(0);
    assertTrue(Arrays.equals(input, run.stdoutBytes()), "stdin copied byte for byte");
  }

  @Test
  void stdinPipedEnvAndArgumentsAsInTheDocsExample() throws Exception {
    Path example = Path.of(System.getProperty("phase.examples.dir"), "hello-step.wasm");
    byte[] input = "one two three\nfour fives\n".getBytes(StandardCharsets.UTF_8);
    var run =
        phase.run(
            input,
            "exec",
            "--key",
            key,
            "--env",
            "BUILD_NUMBER=42",
            "--stdin",
            "-",
            example.toString(),
            "first",
            "second arg");
    run.assertExit(0);
    assertEquals(
        """
        hello-step: hello from a WebAssembly build step
        arguments: 2
          [1] first
          [2] second arg
        BUILD_NUMBER=42
        stdin: 2 lines, 5 words, 25 bytes
        first 10 primes: 2 3 5 7 11 13 17 19 23 29
        hello-step: done
        """,
        run.stdout());
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 42}) // 0: every other test
  void guestExitCodeIsOurs(int code) throws Exception {
    var run = phase.run("exec", "--key", key, fixtureArg("io.wasm"), "exit", "" + code);
    run.assertExit(code);
    assertEquals("", run.stdout());
    assertEquals(List.of(), run.phaseLines(), run::describe);
  }

  @Test
  void stdoutAndStderrLandOnTheirOwnStreams() throws Exception {
    var run = phase.run("exec", "--key", key, fixtureArg("io.wasm"), "mixed");
    run.assertExit(0);
    assertEquals("out1\nout2\n", run.stdout());
    assertEquals("err1\n", run.stderr());
  }

  @Test
  void dirRoundTripGuestWritesAppearOnTheHost() throws Exception {
    Path workspace = Files.createDirectory(dir.resolve("ws"));
    Files.writeString(workspace.resolve("kept.txt"), "untouched");
    var run =
        phase.run(
            "exec",
            "--key",
            key,
            "--dir",
            "ws:/data",
            fixtureArg("files.wasm"),
            "write",
            "/data/made-by-guest.txt",
            "hello from the sandbox");
    run.assertExit(0);
    assertEquals(
        "hello from the sandbox", Files.readString(workspace.resolve("made-by-guest.txt")));
    assertEquals("untouched", Files.readString(workspace.resolve("kept.txt")));
  }

  @Test
  void symlinkInDirIsRefusedAndNamed() throws Exception {
    Path workspace = Files.createDirectory(dir.resolve("ws"));
    Files.writeString(workspace.resolve("ok.txt"), "fine");
    Files.createSymbolicLink(workspace.resolve("sneaky-link"), Path.of("/etc/passwd"));
    var run =
        phase.run("exec", "--key", key, "--dir", "ws", fixtureArg("files.wasm"), "ls", "/work");
    run.assertPhaseError(ExitCodes.PHASE_ERROR, "sneaky-link");
    assertEquals("", run.stdout(), "the guest must not have run");
    assertFalse(Files.exists(workspace.resolve("passwd")));
  }
}
