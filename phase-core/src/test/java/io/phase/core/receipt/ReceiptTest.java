package io.phase.core.receipt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.phase.core.identity.NodeKey;
import io.phase.core.json.Json;
import io.phase.core.receipt.Verification.Reason;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReceiptTest {

  private static final Instant AT = Instant.parse("2026-05-27T12:00:00.123456Z");
  private final NodeKey worker = NodeKey.generate();

  private Transcript transcript() throws Exception {
    return TranscriptReader.readAll(
        new ByteArrayInputStream(TranscriptTest.sampleTranscript()),
        Transcript.MAX_LINE_BYTES,
        1 << 20);
  }

  private SignedReceipt signed() throws Exception {
    return ReceiptSigner.sign(worker, ReceiptFixtures.exited(worker, transcript().summary()), AT);
  }

  private Expectations full() throws Exception {
    return Expectations.builder()
        .moduleBytes(ReceiptFixtures.MODULE)
        .worker(worker.peerId())
        .jobId(ReceiptFixtures.JOB_ID)
        .transcript(transcript())
        .build();
  }

  @Test
  void roundTripVerifies() throws Exception {
    SignedReceipt receipt = signed();
    assertEquals(Instant.parse("2026-05-27T12:00:00.123Z"), receipt.completedAt());
    byte[] json = receipt.toJson();
    assertTrue(
        new String(json, StandardCharsets.UTF_8)
            .contains("\"completed_at\":\"2026-05-27T12:00:00.123Z\""));
    SignedReceipt parsed = SignedReceipt.parse(json);
    assertEquals(receipt, parsed);
    assertArrayEquals(json, parsed.toJson());
    assertEquals(Verification.ok(), ReceiptVerifier.verify(json, full()));
    assertTrue(ReceiptVerifier.verify(json, Expectations.none()).isOk());

    SignedReceipt trapped = ReceiptSigner.sign(worker, ReceiptFixtures.trapped(worker), AT);
    byte[] trappedJson = trapped.toJson();
    assertTrue(new String(trappedJson, StandardCharsets.UTF_8).contains("\"exit_code\":null"));
    assertTrue(ReceiptVerifier.verify(trappedJson, Expectations.none()).isOk());
  }

  @Test
  void signedMessageIsDomainSeparatedCanonicalJson() throws Exception {
    SignedReceipt receipt = signed();
    String message = new String(receipt.signedMessage(), StandardCharsets.UTF_8);
    assertTrue(
        message.startsWith(
            "phase-receipt:v1:{\"completed_at\":\"2026-05-27T12:00:00.123Z\",\"job_id\":"),
        message);
    assertTrue(
        message.contains(",\"result\":{\"detail\":\"\",\"exit_code\":3,\"job_id\":"), message);
    assertTrue(message.endsWith("},\"schema_version\":1}"), message);
    assertTrue(
        worker.publicKey().verify(receipt.signedMessage(), receipt.signature().toByteArray()));
  }

  @Test
  void reserialisedWithOtherKeyOrderAndWhitespaceStillVerifies() throws Exception {
    ObjectNode tree = signed().toJsonNode();
    String pretty =
        Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(reverse(tree));
    assertTrue(pretty.contains("\n"));
    assertTrue(
        pretty.indexOf("\"worker_pubkey\"") < pretty.indexOf("\"schema_version\""),
        "reversed order");
    Verification v = ReceiptVerifier.verify(pretty.getBytes(StandardCharsets.UTF_8), full());
    assertTrue(v.isOk(), v.message());
  }

  private static JsonNode reverse(JsonNode node) {
    if (!node.isObject()) {
      return node;
    }
    List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
    node.fields().forEachRemaining(fields::add);
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    for (int i = fields.size() - 1; i >= 0; i--) {
      out.set(fields.get(i).getKey(), reverse(fields.get(i).getValue()));
    }
    return out;
  }

  @Test
  void tamperingWithAnyFieldFails() throws Exception {
    ObjectNode original = signed().toJsonNode();
    List<String> paths = new ArrayList<>();
    collectLeaves(original, "", paths);
    // 5 envelope leaves + schema_version, 10 result fields of which 3 are objects of 4 leaves
    assertEquals(6 - 1 + 7 + 12, paths.size(), paths.toString());
    for (String path : paths) {
      ObjectNode copy = original.deepCopy();
      mutate(copy, path);
      byte[] bytes = Json.mapper().writeValueAsBytes(copy);
      Verification v = ReceiptVerifier.verify(bytes, Expectations.none());
      assertFalse(v.isOk(), "tampered " + path + " still verifies");
      assertFalse(v.message().isEmpty());
    }
  }

  private static void collectLeaves(JsonNode node, String prefix, List<String> out) {
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String path = prefix.isEmpty() ? field.getKey() : prefix + "/" + field.getKey();
      if (field.getValue().isObject()) {
        collectLeaves(field.getValue(), path, out);
      } else {
        out.add(path);
      }
    }
  }

  private void mutate(ObjectNode root, String path) {
    String[] parts = path.split("/");
    ObjectNode parent = root;
    for (int i = 0; i < parts.length - 1; i++) {
      parent = (ObjectNode) parent.get(parts[i]);
    }
    String name = parts[parts.length - 1];
    JsonNode value = parent.get(name);
    if (value.isIntegralNumber()) {
      parent.put(name, value.longValue() + 1);
    } else if (value.isNull()) {
      parent.put(name, 0);
    } else if (name.equals("worker")) {
      parent.put(name, NodeKey.generate().peerId().toString());
    } else if (name.equals("worker_pubkey")) {
      parent.put(name, NodeKey.generate().publicKey().toHex());
    } else if (name.equals("completed_at")) {
      parent.put(name, "2026-05-27T12:00:01.123Z");
    } else if (name.equals("mode")) {
      parent.put(name, "interpreted");
    } else if (name.equals("outcome")) {
      parent.put(name, "trapped");
    } else {
      String text = value.textValue();
      char last = text.isEmpty() ? ' ' : text.charAt(text.length() - 1);
      parent.set(
          name,
          TextNode.valueOf(
              text.isEmpty()
                  ? "x"
                  : text.substring(0, text.length() - 1) + (last == '0' ? '1' : '0')));
    }
  }

  @Test
  void specificFailureReasons() throws Exception {
    SignedReceipt receipt = signed();
    ObjectNode tree = receipt.toJsonNode();

    ObjectNode badSig = tree.deepCopy();
    byte[] sig = receipt.signature().toByteArray();
    sig[10] ^= 1;
    badSig.put("signature", HexFormat.of().formatHex(sig));
    assertEquals(Reason.BAD_SIGNATURE, verify(badSig, full()).reason());

    ObjectNode schema = tree.deepCopy();
    schema.put("schema_version", 2);
    assertEquals(Reason.SCHEMA, verify(schema, full()).reason());
    schema.put("schema_version", "1");
    assertEquals(Reason.SCHEMA, verify(schema, full()).reason());

    ObjectNode unknown = tree.deepCopy();
    unknown.put("legacy", true);
    assertEquals(Reason.MALFORMED, verify(unknown, full()).reason());
    ObjectNode unknownInResult = tree.deepCopy();
    ((ObjectNode) unknownInResult.get("result")).put("extra", 1);
    assertEquals(Reason.MALFORMED, verify(unknownInResult, full()).reason());
    ObjectNode missing = tree.deepCopy();
    ((ObjectNode) missing.get("result").get("limits")).remove("memory_mb");
    assertEquals(Reason.MALFORMED, verify(missing, full()).reason());
    ObjectNode upper = tree.deepCopy();
    upper.put("job_id", ReceiptFixtures.JOB_ID.toUpperCase());
    assertEquals(Reason.MALFORMED, verify(upper, full()).reason());
    ObjectNode wrongType = tree.deepCopy();
    ((ObjectNode) wrongType.get("result")).put("wall_time_ms", "1234");
    assertEquals(Reason.MALFORMED, verify(wrongType, full()).reason());
    ObjectNode cidWorker = tree.deepCopy();
    ((ObjectNode) cidWorker.get("result")).put("worker", worker.peerId().toCidString());
    assertEquals(Reason.MALFORMED, verify(cidWorker, full()).reason());
    ObjectNode nonCanonicalTime = tree.deepCopy();
    nonCanonicalTime.put("completed_at", "2026-05-27T12:00:00.1230Z");
    assertEquals(Reason.MALFORMED, verify(nonCanonicalTime, full()).reason());
    assertEquals(
        Reason.MALFORMED,
        ReceiptVerifier.verify(new byte[SignedReceipt.MAX_BYTES + 1], full()).reason());
    assertEquals(
        Reason.MALFORMED,
        ReceiptVerifier.verify("{\"schema_version\":1} x".getBytes(StandardCharsets.UTF_8), full())
            .reason());
  }

  @Test
  void bindingsToWorkerModuleJobAndOutput() throws Exception {
    byte[] json = signed().toJson();
    NodeKey other = NodeKey.generate();
    assertEquals(
        Reason.WORKER_MISMATCH,
        ReceiptVerifier.verify(json, Expectations.builder().worker(other.peerId()).build())
            .reason());
    assertEquals(
        Reason.MODULE_MISMATCH,
        ReceiptVerifier.verify(json, Expectations.builder().moduleBytes(new byte[] {1}).build())
            .reason());
    assertEquals(
        Reason.JOB_ID_MISMATCH,
        ReceiptVerifier.verify(json, Expectations.builder().jobId("ff".repeat(32)).build())
            .reason());
    OutputCommitment fewer = new OutputCommitment();
    fewer.append("stdout", new byte[] {1}, 0, 1);
    assertEquals(
        Reason.OUTPUT_MISMATCH,
        ReceiptVerifier.verify(json, Expectations.builder().output(fewer.summary()).build())
            .reason());
  }

  @Test
  void signatureByAnotherKeyFails() throws Exception {
    SignedReceipt receipt = signed();
    NodeKey impostor = NodeKey.generate();
    // Impostor re-signs the same result (which still names the real worker) with its own key.
    SignedReceipt forged =
        new SignedReceipt(
            1,
            receipt.result(),
            receipt.jobId(),
            impostor.publicKey(),
            impostor.sign(receipt.signedMessage()),
            receipt.completedAt());
    assertEquals(
        Reason.WORKER_MISMATCH, ReceiptVerifier.verify(forged, Expectations.none()).reason());
    // Impostor's signature presented under the real worker's key.
    SignedReceipt swapped =
        new SignedReceipt(
            1,
            receipt.result(),
            receipt.jobId(),
            worker.publicKey(),
            impostor.sign(receipt.signedMessage()),
            receipt.completedAt());
    assertEquals(
        Reason.BAD_SIGNATURE, ReceiptVerifier.verify(swapped, Expectations.none()).reason());
    // A receipt whose result names the impostor but the expected worker is the real one.
    SignedReceipt own =
        ReceiptSigner.sign(impostor, ReceiptFixtures.exited(impostor, transcript().summary()), AT);
    assertEquals(Reason.WORKER_MISMATCH, ReceiptVerifier.verify(own.toJson(), full()).reason());
    assertThrows(
        IllegalArgumentException.class, () -> ReceiptSigner.sign(impostor, receipt.result(), AT));
  }

  @Test
  void envelopeJobIdMustMatchResult() throws Exception {
    SignedReceipt receipt = signed();
    String otherJob = "ab".repeat(32);
    byte[] message =
        SignedReceipt.signedMessage(1, receipt.result(), otherJob, receipt.completedAt());
    SignedReceipt mismatched =
        new SignedReceipt(
            1,
            receipt.result(),
            otherJob,
            worker.publicKey(),
            worker.sign(message),
            receipt.completedAt());
    assertEquals(
        Reason.JOB_ID_MISMATCH, ReceiptVerifier.verify(mismatched, Expectations.none()).reason());
  }

  @Test
  void manifestDomainSignatureDoesNotVerifyAsReceipt() throws Exception {
    SignedReceipt receipt = signed();
    byte[] receiptMessage = receipt.signedMessage();
    byte[] body =
        java.util.Arrays.copyOfRange(
            receiptMessage, SignedReceipt.DOMAIN.length(), receiptMessage.length);
    byte[] manifestMessage =
        (new String(
                    "phase-manifest:v1:".getBytes(StandardCharsets.US_ASCII),
                    StandardCharsets.US_ASCII)
                + new String(body, StandardCharsets.UTF_8))
            .getBytes(StandardCharsets.UTF_8);
    SignedReceipt crossDomain =
        new SignedReceipt(
            1,
            receipt.result(),
            receipt.jobId(),
            worker.publicKey(),
            worker.sign(manifestMessage),
            receipt.completedAt());
    assertEquals(
        Reason.BAD_SIGNATURE, ReceiptVerifier.verify(crossDomain, Expectations.none()).reason());
    SignedReceipt noDomain =
        new SignedReceipt(
            1,
            receipt.result(),
            receipt.jobId(),
            worker.publicKey(),
            worker.sign(body),
            receipt.completedAt());
    assertEquals(
        Reason.BAD_SIGNATURE, ReceiptVerifier.verify(noDomain, Expectations.none()).reason());
  }

  @Test
  void resultValidation() {
    WasmResult ok = ReceiptFixtures.trapped(worker);
    assertThrows(
        ReceiptFormatException.class,
        () ->
            new WasmResult(
                ok.jobId(),
                ok.moduleHash(),
                OutcomeKind.EXITED,
                java.util.OptionalInt.empty(),
                "",
                0,
                ok.output(),
                ok.limits(),
                ok.runtime(),
                ok.worker()));
    assertThrows(
        ReceiptFormatException.class,
        () ->
            new WasmResult(
                ok.jobId(),
                ok.moduleHash(),
                ok.outcome(),
                ok.exitCode(),
                "x".repeat(1025),
                0,
                ok.output(),
                ok.limits(),
                ok.runtime(),
                ok.worker()));
    assertThrows(ReceiptFormatException.class, () -> new WasmResult.Limits(0, 1, 0, 1));
    assertThrows(
        ReceiptFormatException.class, () -> new WasmResult.Output("00".repeat(32), 0, 0, 0));
    assertThrows(
        ReceiptFormatException.class,
        () -> new WasmResult.RuntimeInfo("Chicory", "1.7.5", WasmResult.Mode.MIXED, 0));
    assertEquals(ok, WasmResult.fromJson(ok.toJson()));
  }

  private static Verification verify(JsonNode tree, Expectations expectations) throws Exception {
    return ReceiptVerifier.verify(Json.mapper().writeValueAsBytes(tree), expectations);
  }
}
