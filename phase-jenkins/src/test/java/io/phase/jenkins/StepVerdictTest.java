package io.phase.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phase.core.client.JobOutcome;
import io.phase.core.identity.NodeKey;
import io.phase.core.receipt.OutcomeKind;
import io.phase.core.receipt.OutputCommitment;
import io.phase.core.receipt.ReceiptSigner;
import io.phase.core.receipt.WasmResult;
import io.phase.core.step.ExitStatus;
import io.phase.core.step.StepResult;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class StepVerdictTest {
  private static final NodeKey WORKER = NodeKey.generate();
  private static final String JOB = "0123456789abcdef".repeat(4);
  private static final String HASH = "sha256:" + "ab".repeat(32);

  static StepResult withReceipt(OutcomeKind kind, Integer exitCode, String message) {
    WasmResult result =
        new WasmResult(
            JOB,
            HASH,
            kind,
            exitCode == null ? OptionalInt.empty() : OptionalInt.of(exitCode),
            "",
            12,
            WasmResult.Output.of(new OutputCommitment().summary()),
            new WasmResult.Limits(128, 30_000, 1 << 20, 16 << 20),
            new WasmResult.RuntimeInfo("chicory", "1.7.5", WasmResult.Mode.MIXED, 0),
            WORKER.peerId());
    JobOutcome outcome =
        new JobOutcome(JOB, WORKER.peerId(), ReceiptSigner.sign(WORKER, result, Instant.now()));
    return new StepResult(ExitStatus.forOutcome(kind, exitCode), message, Optional.of(outcome));
  }

  @Test
  void successReturnsZero() {
    StepVerdict v = StepVerdict.of("step.wasm", withReceipt(OutcomeKind.EXITED, 0, ""), false);
    assertTrue(v.success());
    assertEquals(0, v.status());
    assertEquals("", v.message());
  }

  @Test
  void guestStatusFailsUnlessReturnStatus() {
    StepResult exited3 = withReceipt(OutcomeKind.EXITED, 3, "the guest exited with status 3");
    StepVerdict fail = StepVerdict.of("step.wasm", exited3, false);
    assertFalse(fail.success());
    assertEquals("phaseRun step.wasm: the guest exited with status 3 (status 3)", fail.message());
    StepVerdict ret = StepVerdict.of("step.wasm", exited3, true);
    assertTrue(ret.success());
    assertEquals(3, ret.status());
  }

  @Test
  void limitOutcomesWithReceiptHonourReturnStatus() {
    for (OutcomeKind kind :
        new OutcomeKind[] {
          OutcomeKind.TRAPPED,
          OutcomeKind.TIMED_OUT,
          OutcomeKind.MEMORY_LIMIT,
          OutcomeKind.OUTPUT_LIMIT
        }) {
      StepResult r = withReceipt(kind, null, kind.wireName());
      assertFalse(StepVerdict.of("m.wasm", r, false).success(), kind.name());
      StepVerdict v = StepVerdict.of("m.wasm", r, true);
      assertTrue(v.success(), kind.name());
      assertEquals(ExitStatus.forOutcome(kind, null), v.status());
    }
    assertEquals(
        134, StepVerdict.of("m", withReceipt(OutcomeKind.TRAPPED, null, "x"), true).status());
  }

  @Test
  void cancelledAndInvalidModuleAlwaysFail() {
    StepVerdict cancelled =
        StepVerdict.of("m.wasm", withReceipt(OutcomeKind.CANCELLED, null, "cancelled"), true);
    assertFalse(cancelled.success());
    assertEquals(130, cancelled.status());
    StepVerdict invalid =
        StepVerdict.of("m.wasm", withReceipt(OutcomeKind.INVALID_MODULE, null, "bad"), true);
    assertFalse(invalid.success());
    assertEquals(126, invalid.status());
  }

  @Test
  void guestExitCodesThatLookReservedAreTheGuests() {
    StepVerdict v = StepVerdict.of("m.wasm", withReceipt(OutcomeKind.EXITED, 130, ""), true);
    assertTrue(v.success());
    assertEquals(130, v.status());
  }

  @Test
  void failuresWithoutReceiptAlwaysFail() {
    int[] statuses = {121, 122, 123, 125, 126, 127, 130};
    for (int status : statuses) {
      StepResult r = StepResult.failed(status, "reason " + status + "\nsecond line");
      StepVerdict v = StepVerdict.of("dir/m.wasm", r, true);
      assertFalse(v.success());
      assertEquals(status, v.status());
      assertEquals(
          "phaseRun dir/m.wasm: reason " + status + "?second line (status " + status + ")",
          v.message());
    }
    StepVerdict blank = StepVerdict.of("m.wasm", StepResult.failed(122, ""), false);
    assertEquals("phaseRun m.wasm: no worker ran the job (status 122)", blank.message());
  }

  @Test
  void receiptEntryRecordsTheOutcome() {
    ReceiptEntry e =
        ReceiptEntry.of(4, "m.wasm", withReceipt(OutcomeKind.EXITED, 2, "x"), Optional.empty());
    assertEquals(4, e.getStep());
    assertEquals(JOB, e.getJobId());
    assertEquals(WORKER.peerId().toBase58(), e.getWorker());
    assertEquals(HASH, e.getModuleHash());
    assertEquals("exited", e.getOutcome());
    assertEquals(2, e.getExitCode());
    assertEquals(2, e.getStatus());
    assertTrue(e.hasReceipt());
    assertFalse(e.isVerified());
    assertEquals("4.json", e.getReceiptName());
    ReceiptEntry failed =
        ReceiptEntry.of(5, "m.wasm", StepResult.failed(121, "no peer"), Optional.empty());
    assertFalse(failed.hasReceipt());
    assertEquals("no receipt", failed.getVerification());
  }
}
