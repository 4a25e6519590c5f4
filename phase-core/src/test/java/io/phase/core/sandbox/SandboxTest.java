package io.phase.core.sandbox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phase.core.receipt.OutcomeKind;
import io.phase.core.receipt.OutputChunk;
import io.phase.core.receipt.OutputKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SandboxTest {
  static Sandbox sandbox;

  static final SandboxLimits LIMITS =
      SandboxLimits.DEFAULTS.withMemoryMb(64).withTimeout(Duration.ofSeconds(20));

  @BeforeAll
  static void start() {
    sandbox = new Sandbox(SandboxConfig.defaults().withConcurrency(4, 64));
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  static SandboxResult run(SandboxRequest request, RecordingListener listener) throws Exception {
    return sandbox.submit(request, listener).result().get(60, TimeUnit.SECONDS);
  }

  static SandboxRequest request(String fixture, String... args) {
    return SandboxRequest.of(Fixtures.bytes(fixture), LIMITS)
        .withProgramName(fixture)
        .withArgs(List.of(args));
  }

  @Test
  void argumentsReachTheGuestVerbatim() throws Exception {
    var out = new RecordingListener();
    var result = run(request("io.wasm", "echo-args", "a b", "--flag", "", "ünï"), out);
    assertEquals(Outcome.exited(0), result.outcome());
    assertEquals("a b\n--flag\n\nünï\n", out.stdout());
  }

  @Test
  void environmentIsOnlyWhatWasGiven() throws Exception {
    var out = new RecordingListener();
    var result =
        run(
            request("io.wasm", "env", "GREETING", "HOME", "PATH")
                .withEnv(Map.of("GREETING", "hi=there")),
            out);
    assertEquals(Outcome.exited(0), result.outcome());
    assertEquals("GREETING=hi=there\nHOME unset\nPATH unset\n", out.stdout());
  }

  @Test
  void stdinIsDelivered() throws Exception {
    var out = new RecordingListener();
    byte[] input = new byte[300_000];
    for (int i = 0; i < input.length; i++) {
      input[i] = (byte) ('a' + i % 26);
    }
    var result = run(request("io.wasm", "cat").withStdin(input), out);
    assertEquals(Outcome.exited(0), result.outcome());
    assertEquals(new String(input, java.nio.charset.StandardCharsets.UTF_8), out.stdout());
    assertEquals(input.length, result.output().stdoutBytes());
  }

  @Test
  void exitCodeComesFromProcExit() throws Exception {
    for (int code : new int[] {0, 1, 42, 255}) {
      var result = run(request("io.wasm", "exit", Integer.toString(code)), new RecordingListener());
      assertEquals(Outcome.exited(code), result.outcome());
    }
  }

  @Test
  void stdoutAndStderrChunksKeepTheirOrderAndCommitment() throws Exception {
    var out = new RecordingListener();
    var result = run(request("io.wasm", "mixed"), out);
    assertEquals(Outcome.exited(0), result.outcome());
    assertEquals(3, out.chunks.size());
    assertEquals(OutputKind.STDOUT, out.chunks.get(0).kind());
    assertEquals(OutputKind.STDERR, out.chunks.get(1).kind());
    assertEquals(OutputKind.STDOUT, out.chunks.get(2).kind());
    for (int i = 0; i < 3; i++) {
      assertEquals(i, out.chunks.get(i).seq());
    }
    assertEquals("out1\nout2\n", out.stdout());
    assertEquals("err1\n", out.stderr());
    assertEquals(3, result.output().chunks());
    assertEquals(10, result.output().stdoutBytes());
    assertEquals(5, result.output().stderrBytes());
    assertArrayEquals(out.replay(), result.output().commitment().toByteArray());
  }

  @Test
  void cpuBenchmarkComputesTheKnownChecksum() throws Exception {
    var out = new RecordingListener();
    var result = run(request("cpu.wasm", "1"), out);
    assertEquals(Outcome.exited(0), result.outcome());
    assertEquals(
        "checksum=7f29d8ebcfdaa452f2b3f63955efb268e29bdb6fcd0468bb23d375ff9fff8779\n",
        out.stdout());
    assertEquals("compiled", result.runtime().mode());
    assertEquals("chicory", result.runtime().name());
  }

  @Test
  void infiniteLoopTimesOut() throws Exception {
    for (String fixture : new String[] {"loop.wasm", "loop-calls.wasm"}) {
      var req = request(fixture).withLimits(LIMITS.withTimeout(Duration.ofMillis(500)));
      var result = run(req, new RecordingListener());
      assertEquals(OutcomeKind.TIMED_OUT, result.outcome().kind(), fixture);
      assertTrue(result.wallTime().toMillis() >= 500, "ran " + result.wallTime());
    }
  }

  @Test
  void memoryBombHitsTheMemoryLimit() throws Exception {
    var out = new RecordingListener();
    var result = run(request("membomb.wasm"), out);
    assertEquals(OutcomeKind.MEMORY_LIMIT, result.outcome().kind(), result.outcome().describe());
    assertTrue(out.stderr().contains("out of memory at"), out.stderr());
    var grow = run(request("membomb-grow.wasm"), new RecordingListener());
    assertEquals(OutcomeKind.MEMORY_LIMIT, grow.outcome().kind(), grow.outcome().describe());
  }

  @Test
  void memoryGrownAPageAtATimeKeepsEveryByte() throws Exception {
    var req = request("grow-pages.wasm").withLimits(LIMITS.withMemoryMb(129));
    var result = run(req, new RecordingListener());
    assertEquals(Outcome.exited(0), result.outcome(), result.outcome().describe());
    var capped = run(request("grow-pages.wasm"), new RecordingListener());
    assertEquals(OutcomeKind.MEMORY_LIMIT, capped.outcome().kind(), capped.outcome().describe());
    assertTrue(capped.outcome().detail().contains("64 MiB"), capped.outcome().detail());
  }

  @Test
  void sharedMemoryModuleIsRefused() throws Exception {
    var result = run(request("shared-memory.wasm"), new RecordingListener());
    assertEquals(OutcomeKind.INVALID_MODULE, result.outcome().kind(), result.outcome().describe());
    assertTrue(result.outcome().detail().contains("shared memory"), result.outcome().detail());
  }

  @Test
  void moduleDemandingTooMuchMemoryAtStartIsRefused() throws Exception {
    var result = run(request("bigmem.wasm"), new RecordingListener());
    assertEquals(OutcomeKind.MEMORY_LIMIT, result.outcome().kind());
    assertTrue(result.outcome().detail().contains("4096 MiB"), result.outcome().detail());
  }

  @Test
  void deepRecursionTraps() throws Exception {
    var result = run(request("recursion.wasm"), new RecordingListener());
    assertEquals(OutcomeKind.TRAPPED, result.outcome().kind(), result.outcome().describe());
    assertTrue(
        result.outcome().detail().contains("call stack exhausted"), result.outcome().detail());
    var shadow = run(request("recursion.wasm", "shadow"), new RecordingListener());
    assertEquals(OutcomeKind.TRAPPED, shadow.outcome().kind(), shadow.outcome().describe());
  }

  @Test
  void outputFloodIsStoppedAtTheCap() throws Exception {
    var out = new RecordingListener();
    var req = request("flood.wasm").withLimits(LIMITS.withMaxOutputBytes(1 << 20));
    var result = run(req, out);
    assertEquals(OutcomeKind.OUTPUT_LIMIT, result.outcome().kind());
    assertEquals(1 << 20, result.output().stdoutBytes());
    assertEquals(1 << 20, out.stdout().length());
    assertArrayEquals(out.replay(), result.output().commitment().toByteArray());
    for (OutputChunk c : out.chunks) {
      assertTrue(c.data().length <= GuestOutput.MAX_CHUNK_BYTES);
    }
    var err =
        run(
            request("flood.wasm", "stderr").withLimits(LIMITS.withMaxOutputBytes(1 << 20)),
            new RecordingListener());
    assertEquals(OutcomeKind.OUTPUT_LIMIT, err.outcome().kind());
  }

  @Test
  void outputUnderTheCapIsComplete() throws Exception {
    var out = new RecordingListener();
    var result =
        run(request("flood.wasm", "2").withLimits(LIMITS.withMaxOutputBytes(2 << 20)), out);
    assertEquals(Outcome.exited(0), result.outcome());
    assertEquals(2 << 20, result.output().stdoutBytes());
  }

  @Test
  void badModulesAreInvalid() throws Exception {
    Map<String, String> expected =
        Map.of(
            "truncated.wasm", "malformed",
            "notwasm.wasm", "not a WebAssembly module",
            "nostart.wasm", "_start",
            "unknown-import.wasm", "does not provide");
    for (var e : expected.entrySet()) {
      var result = run(request(e.getKey()), new RecordingListener());
      assertEquals(OutcomeKind.INVALID_MODULE, result.outcome().kind(), e.getKey());
      assertTrue(
          result.outcome().detail().contains(e.getValue()),
          e.getKey() + ": " + result.outcome().detail());
      assertEquals(0, result.output().chunks());
    }
  }

  @Test
  void moduleOverTheSizeLimitIsInvalid() throws Exception {
    var req = request("io.wasm", "exit", "0").withLimits(LIMITS.withMaxModuleBytes(1024));
    var result = run(req, new RecordingListener());
    assertEquals(OutcomeKind.INVALID_MODULE, result.outcome().kind());
    assertTrue(result.outcome().detail().contains("limit is 1024"), result.outcome().detail());
  }

  @Test
  void operatorMaximumsClampTheRequest() {
    var operator =
        SandboxLimits.DEFAULTS
            .withMemoryMb(32)
            .withTimeout(Duration.ofSeconds(5))
            .withMaxOutputBytes(1000);
    try (var strict = new Sandbox(SandboxConfig.defaults().withMaximums(operator))) {
      var limits =
          strict.effectiveLimits(
              SandboxLimits.DEFAULTS.withMemoryMb(4096).withTimeout(Duration.ofHours(1)), false);
      assertEquals(32, limits.memoryMb());
      assertEquals(Duration.ofSeconds(5), limits.timeout());
      assertEquals(1000, limits.maxOutputBytes());
    }
  }

  @Test
  void repeatRunsUseTheCompiledModuleCache() throws Exception {
    var first = run(request("io.wasm", "exit", "3"), new RecordingListener());
    var second = run(request("io.wasm", "exit", "4"), new RecordingListener());
    assertEquals(Outcome.exited(4), second.outcome());
    assertTrue(second.runtime().cached());
    assertEquals(first.moduleHash(), second.moduleHash());
  }

  @Test
  void cancelStopsARunningGuest() throws Exception {
    var run = sandbox.submit(request("loop.wasm"), new RecordingListener());
    Thread.sleep(300);
    run.cancel();
    var result = run.result().get(10, TimeUnit.SECONDS);
    assertEquals(OutcomeKind.CANCELLED, result.outcome().kind());
  }

  @Test
  void manyConcurrentRunsEachGetTheirOwnOutput() throws Exception {
    List<SandboxRun> runs = new ArrayList<>();
    List<RecordingListener> outs = new ArrayList<>();
    // A runaway guest among them must not hold the others up.
    var loop =
        sandbox.submit(
            request("loop.wasm").withLimits(LIMITS.withTimeout(Duration.ofSeconds(2))),
            new RecordingListener());
    for (int i = 0; i < 24; i++) {
      var out = new RecordingListener();
      outs.add(out);
      runs.add(sandbox.submit(request("io.wasm", "echo-args", "run-" + i), out));
    }
    for (int i = 0; i < runs.size(); i++) {
      var result = runs.get(i).result().get(60, TimeUnit.SECONDS);
      assertEquals(Outcome.exited(0), result.outcome());
      assertEquals("run-" + i + "\n", outs.get(i).stdout());
    }
    assertEquals(OutcomeKind.TIMED_OUT, loop.result().get(30, TimeUnit.SECONDS).outcome().kind());
  }

  @Test
  void closingTheSandboxLeavesNoGuestThreads() throws Exception {
    var own = new Sandbox(SandboxConfig.defaults().withConcurrency(2, 8));
    var run = own.submit(request("loop.wasm"), new RecordingListener());
    Thread.sleep(200);
    own.close();
    var result = run.result().get(10, TimeUnit.SECONDS);
    assertFalse(result.outcome().succeeded());
    Thread.sleep(100);
    long guests =
        Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.isAlive() && t.getName().startsWith("phase-guest-"))
            .filter(t -> t.getThreadGroup() != null)
            .count();
    // Only the shared sandbox's threads may remain (at most its pool size).
    assertTrue(guests <= 4, "guest threads alive: " + guests);
  }
}
