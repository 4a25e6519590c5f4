package io.phase.core.protocol;

import io.phase.core.exec.JobId;
import io.phase.core.identity.NodeKey;
import io.phase.core.receipt.OutcomeKind;
import io.phase.core.receipt.OutputCommitment;
import io.phase.core.receipt.ReceiptSigner;
import io.phase.core.receipt.SignedReceipt;
import io.phase.core.receipt.WasmResult;
import io.phase.core.sandbox.ModuleHash;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/** Shared values for job-run tests. */
public final class RunFixtures {
  static final NodeKey WORKER = NodeKey.generate();
  static final byte[] MODULE = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
  static final RunLimits LIMITS = new RunLimits(64, 10_000, 1 << 20);
  static final String NONCE = "0f".repeat(16);

  private RunFixtures() {}

  static RunMessage.Submit submit(byte[] module, long stdinSize, long workspaceSize) {
    return new RunMessage.Submit(
        JobId.random(),
        NONCE,
        ModuleHash.of(module),
        module.length,
        List.of("a", "b c"),
        Map.of("Z", "1", "A", "2"),
        stdinSize,
        workspaceSize,
        LIMITS);
  }

  /** A receipt for {@code jobId} covering exactly the chunks folded into {@code commitment}. */
  public static SignedReceipt receipt(String jobId, byte[] module, OutputCommitment commitment) {
    WasmResult result =
        new WasmResult(
            jobId,
            ModuleHash.of(module),
            OutcomeKind.EXITED,
            OptionalInt.of(0),
            "",
            12,
            WasmResult.Output.of(commitment.summary()),
            new WasmResult.Limits(64, 10_000, 1 << 20, 1 << 20),
            new WasmResult.RuntimeInfo("chicory", "1.7.5", WasmResult.Mode.COMPILED, 0),
            WORKER.peerId());
    return ReceiptSigner.sign(WORKER, result, Instant.parse("2026-05-27T12:00:00Z"));
  }
}
