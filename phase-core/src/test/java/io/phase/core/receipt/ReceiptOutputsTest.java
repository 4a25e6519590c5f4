package io.phase.core.receipt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Output-tree digests in receipts: optional, signed, checked; receipts without them unchanged. */
class ReceiptOutputsTest {
  static final String D1 = ReceiptInputsTest.D1;
  static final String D2 = ReceiptInputsTest.D2;

  static WasmResult withOutputs(List<WasmResult.OutputTree> outputs) {
    WasmResult r = ReceiptInputsTest.withInputs(ReceiptInputsTest.INPUTS);
    return new WasmResult(
        r.jobId(),
        r.moduleHash(),
        r.outcome(),
        r.exitCode(),
        r.detail(),
        r.wallTimeMs(),
        r.output(),
        r.limits(),
        r.runtime(),
        r.worker(),
        r.inputs(),
        outputs);
  }

  @Test
  void withoutOutputsThereIsNoOutputsKey() {
    byte[] json = ReceiptInputsTest.sign(withOutputs(List.of()));
    assertFalse(new String(json, StandardCharsets.UTF_8).contains("\"outputs\""));
    assertTrue(ReceiptVerifier.verify(json, Expectations.none()).isOk());
    Verification v =
        ReceiptVerifier.verify(json, Expectations.builder().outputTree("/work/build", D1).build());
    assertEquals(Verification.Reason.OUTPUT_TREE_MISMATCH, v.reason());
    assertEquals("the receipt names no output tree /work/build", v.message());
  }

  @Test
  void outputsAreSignedParsedAndChecked() {
    var outputs = List.of(new WasmResult.OutputTree("/work/build", D2, 120));
    byte[] json = ReceiptInputsTest.sign(withOutputs(outputs));
    String text = new String(json, StandardCharsets.UTF_8);
    assertTrue(
        text.contains(
            "\"outputs\":[{\"digest\":\"" + D2 + "\",\"path\":\"/work/build\",\"size\":120}]"),
        text);
    assertEquals(outputs, SignedReceipt.parse(json).result().outputs());
    assertTrue(
        ReceiptVerifier.verify(json, Expectations.builder().outputTree("/work/build", D2).build())
            .isOk());
    Verification other =
        ReceiptVerifier.verify(json, Expectations.builder().outputTree("/work/build", D1).build());
    assertEquals(Verification.Reason.OUTPUT_TREE_MISMATCH, other.reason());
    byte[] forged = text.replace(D2, D1).getBytes(StandardCharsets.UTF_8);
    assertEquals(
        Verification.Reason.BAD_SIGNATURE,
        ReceiptVerifier.verify(forged, Expectations.none()).reason());
  }

  @Test
  void malformedOutputsAreRefused() {
    var bad =
        assertThrows(
            ReceiptFormatException.class, () -> new WasmResult.OutputTree("/a/../b", D1, 100));
    assertTrue(bad.getMessage().contains("outputs[]"), bad.getMessage());
    assertThrows(ReceiptFormatException.class, () -> new WasmResult.OutputTree("/a", D1, 5));
    assertThrows(ReceiptFormatException.class, () -> new WasmResult.OutputTree("/a", "x", 100));
  }
}
