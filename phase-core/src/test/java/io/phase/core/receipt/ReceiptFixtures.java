package io.phase.core.receipt;

import io.phase.core.identity.NodeKey;
import java.util.OptionalInt;

/** Sample results for receipt tests. */
final class ReceiptFixtures {

  static final String JOB_ID = "0123456789abcdef".repeat(4);
  static final byte[] MODULE = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};

  private ReceiptFixtures() {}

  static String moduleHash() {
    return Expectations.builder().moduleBytes(MODULE).build().moduleHash().orElseThrow();
  }

  static WasmResult exited(NodeKey key, OutputSummary output) {
    return new WasmResult(
        JOB_ID,
        moduleHash(),
        WasmResult.Outcome.EXITED,
        OptionalInt.of(3),
        "",
        1234,
        WasmResult.Output.of(output),
        new WasmResult.Limits(128, 30_000, 1 << 20, 16 << 20),
        new WasmResult.RuntimeInfo("chicory", "1.7.5", WasmResult.Mode.MIXED, 2),
        key.peerId());
  }

  static WasmResult trapped(NodeKey key) {
    return new WasmResult(
        JOB_ID,
        moduleHash(),
        WasmResult.Outcome.TRAPPED,
        OptionalInt.empty(),
        "unreachable \"instruction\" executed\n\u00e9",
        7,
        WasmResult.Output.of(new OutputCommitment().summary()),
        new WasmResult.Limits(64, 1_000, 0, 1),
        new WasmResult.RuntimeInfo("chicory", "1.7.5", WasmResult.Mode.COMPILED, 0),
        key.peerId());
  }
}
