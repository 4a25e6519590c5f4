package io.phase.core.receipt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phase.core.identity.NodeKey;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Input-tree digests in receipts: optional, signed, checked; old receipts unchanged. */
class ReceiptInputsTest {
  static final NodeKey KEY = NodeKey.generate();
  static final String D1 = "sha256:" + "ab".repeat(32);
  static final String D2 = "sha256:" + "cd".repeat(32);
  static final List<WasmResult.Input> INPUTS =
      List.of(new WasmResult.Input("/share", D1, true), new WasmResult.Input("/work", D2, false));

  static WasmResult withInputs(List<WasmResult.Input> inputs) {
    WasmResult r = ReceiptFixtures.exited(KEY, new OutputCommitment().summary());
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
        inputs);
  }

  static byte[] sign(WasmResult r) {
    return ReceiptSigner.sign(KEY, r, Instant.parse("2026-05-27T12:00:00Z")).toJson();
  }

  @Test
  void receiptWithoutInputsHasNoInputsKeyAndVerifiesAsBefore() {
    byte[] json = sign(withInputs(List.of()));
    assertFalse(new String(json, StandardCharsets.UTF_8).contains("inputs"));
    assertTrue(ReceiptVerifier.verify(json, Expectations.none()).isOk());
    assertTrue(
        ReceiptVerifier.verify(json, Expectations.builder().inputs(List.of()).build()).isOk());
    assertEquals(
        Verification.Reason.INPUT_MISMATCH,
        ReceiptVerifier.verify(json, Expectations.builder().inputs(INPUTS).build()).reason());
  }

  @Test
  void inputsAreSignedParsedAndChecked() {
    byte[] json = sign(withInputs(INPUTS));
    String text = new String(json, StandardCharsets.UTF_8);
    assertTrue(
        text.contains(
            "\"inputs\":[{\"digest\":\"" + D1 + "\",\"path\":\"/share\",\"read_only\":true},"),
        text);
    SignedReceipt parsed = SignedReceipt.parse(json);
    assertEquals(INPUTS, parsed.result().inputs());
    assertTrue(ReceiptVerifier.verify(json, Expectations.builder().inputs(INPUTS).build()).isOk());

    var swapped = List.of(INPUTS.get(1), INPUTS.get(0));
    Verification v = ReceiptVerifier.verify(json, Expectations.builder().inputs(swapped).build());
    assertEquals(Verification.Reason.INPUT_MISMATCH, v.reason());
    assertTrue(v.message().contains("/share=" + D1 + ":ro"), v.message());

    // Changing a digest, or claiming read-only, after signing breaks the signature.
    byte[] forged = text.replace(D2, "sha256:" + "ee".repeat(32)).getBytes(StandardCharsets.UTF_8);
    assertEquals(
        Verification.Reason.BAD_SIGNATURE,
        ReceiptVerifier.verify(forged, Expectations.none()).reason());
    byte[] dropped =
        text.replace(",\"read_only\":false}", ",\"read_only\":true}")
            .getBytes(StandardCharsets.UTF_8);
    assertEquals(
        Verification.Reason.BAD_SIGNATURE,
        ReceiptVerifier.verify(dropped, Expectations.none()).reason());
  }

  @Test
  void malformedInputsAreRefused() {
    String text = new String(sign(withInputs(INPUTS)), StandardCharsets.UTF_8);
    for (String bad :
        List.of(
            text.replaceFirst("\"inputs\":\\[[^\\]]*\\]", "\"inputs\":[]"),
            text.replace("\"read_only\":true", "\"read_only\":1"),
            text.replace("\"path\":\"/share\"", "\"path\":\"share\""),
            text.replace("\"path\":\"/share\",", "\"path\":\"/share\",\"extra\":1,"))) {
      assertEquals(
          Verification.Reason.MALFORMED,
          ReceiptVerifier.verify(bad.getBytes(StandardCharsets.UTF_8), Expectations.none())
              .reason(),
          bad);
    }
    assertThrows(ReceiptFormatException.class, () -> new WasmResult.Input("/a/../b", D1, false));
  }
}
