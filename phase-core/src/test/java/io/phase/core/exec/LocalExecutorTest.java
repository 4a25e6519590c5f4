package io.phase.core.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phase.core.identity.NodeKey;
import io.phase.core.receipt.Expectations;
import io.phase.core.receipt.OutcomeKind;
import io.phase.core.receipt.OutputCommitment;
import io.phase.core.receipt.ReceiptVerifier;
import io.phase.core.receipt.SignedReceipt;
import io.phase.core.receipt.Verification;
import io.phase.core.receipt.WasmResult;
import io.phase.core.sandbox.Fixtures;
import io.phase.core.sandbox.Sandbox;
import io.phase.core.sandbox.SandboxConfig;
import io.phase.core.sandbox.SandboxLimits;
import io.phase.core.sandbox.SandboxRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LocalExecutorTest {
  static final SandboxLimits LIMITS =
      SandboxLimits.DEFAULTS.withMemoryMb(32).withTimeout(Duration.ofSeconds(20));

  @Test
  void everyRunEndsWithAReceiptThatVerifiesAgainstWhatWasSeen() throws Exception {
    NodeKey key = NodeKey.generate();
    byte[] module = Fixtures.bytes("io.wasm");
    OutputCommitment seen = new OutputCommitment();
    try (var sandbox = new Sandbox(SandboxConfig.defaults().withConcurrency(1, 4))) {
      var job =
          new LocalExecutor(sandbox, key)
              .start(
                  SandboxRequest.of(module, LIMITS).withArgs(List.of("mixed")),
                  chunk -> seen.append(chunk.kind(), chunk.data(), 0, chunk.data().length));
      var report = job.report().get(60, TimeUnit.SECONDS);
      WasmResult result = report.receipt().result();
      assertEquals(job.jobId(), result.jobId());
      assertEquals(OutcomeKind.EXITED, result.outcome());
      assertEquals(0, result.exitCode().getAsInt());
      assertEquals(key.peerId(), result.worker());
      assertEquals(LIMITS.memoryMb(), result.limits().memoryMb());
      assertEquals("chicory", result.runtime().name());

      byte[] json = report.receipt().toJson();
      Verification ok =
          ReceiptVerifier.verify(
              json,
              Expectations.builder()
                  .moduleBytes(module)
                  .worker(key.peerId())
                  .jobId(job.jobId())
                  .output(seen.summary())
                  .build());
      assertTrue(ok.isOk(), ok.message());

      Verification otherWorker =
          ReceiptVerifier.verify(
              json, Expectations.builder().worker(NodeKey.generate().peerId()).build());
      assertFalse(otherWorker.isOk());
      Verification otherModule =
          ReceiptVerifier.verify(
              json, Expectations.builder().moduleBytes(Fixtures.bytes("cpu.wasm")).build());
      assertFalse(otherModule.isOk());
    }
  }

  @Test
  void failedRunsAreSignedWithTheirOutcome() throws Exception {
    NodeKey key = NodeKey.generate();
    try (var sandbox = new Sandbox(SandboxConfig.defaults().withConcurrency(1, 4))) {
      var executor = new LocalExecutor(sandbox, key);
      var invalid =
          executor
              .start(SandboxRequest.of(Fixtures.bytes("notwasm.wasm"), LIMITS), chunk -> {})
              .report()
              .get(60, TimeUnit.SECONDS);
      assertEquals(OutcomeKind.INVALID_MODULE, invalid.receipt().result().outcome());
      assertTrue(invalid.receipt().result().exitCode().isEmpty());
      var timeout =
          executor
              .start(
                  SandboxRequest.of(
                      Fixtures.bytes("loop.wasm"), LIMITS.withTimeout(Duration.ofMillis(300))),
                  chunk -> {})
              .report()
              .get(60, TimeUnit.SECONDS);
      assertEquals(OutcomeKind.TIMED_OUT, timeout.receipt().result().outcome());
      SignedReceipt parsed = SignedReceipt.parse(timeout.receipt().toJson());
      assertTrue(ReceiptVerifier.verify(parsed, Expectations.none()).isOk());
    }
  }
}
