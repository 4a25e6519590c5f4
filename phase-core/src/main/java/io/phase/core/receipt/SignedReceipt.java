package io.phase.core.receipt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.phase.core.json.Json;
import io.phase.core.json.StrictFields;
import io.phase.p2p.bytes.Bytes;
import io.phase.p2p.crypto.Ed25519PublicKey;
import io.phase.p2p.text.PrintableText;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A worker's signed statement about one job:
 *
 * <pre>
 * {"schema_version":1,"result":{…},"job_id":"&lt;hex 32 B&gt;","worker_pubkey":"&lt;hex 32 B&gt;",
 *  "signature":"&lt;hex 64 B&gt;","completed_at":"2026-05-27T12:00:00Z"}
 * </pre>
 *
 * The signature covers {@code "phase-receipt:v1:" || canonical_json({schema_version, result,
 * job_id, completed_at})}. Constructing or parsing a receipt checks its shape only; use {@link
 * ReceiptVerifier} to check the signature and bindings. {@link #toJson()} writes canonical JSON.
 *
 * @param completedAt UTC instant with at most millisecond precision
 */
public record SignedReceipt(
    int schemaVersion,
    WasmResult result,
    String jobId,
    Ed25519PublicKey workerPubkey,
    Bytes signature,
    Instant completedAt) {

  /** The only schema version this code reads or writes. */
  public static final int SCHEMA_VERSION = 1;

  /** Largest receipt accepted by {@link #parse(byte[])}. */
  public static final int MAX_BYTES = 64 * 1024;

  /** Domain separation prefix of the signed message. */
  public static final String DOMAIN = "phase-receipt:v1:";

  private static final List<String> FIELDS =
      List.of("schema_version", "result", "job_id", "worker_pubkey", "signature", "completed_at");
  private static final Pattern TIMESTAMP =
      Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{3})?Z");

  public SignedReceipt {
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(workerPubkey, "workerPubkey");
    Objects.requireNonNull(signature, "signature");
    Objects.requireNonNull(completedAt, "completedAt");
    if (!StrictFields.HEX_32_BYTES.matcher(jobId).matches()) {
      throw Fields.malformed("job_id must be 64 lowercase hex chars");
    }
    if (signature.length() != Ed25519PublicKey.SIGNATURE_LENGTH) {
      throw Fields.malformed("signature must be 64 bytes");
    }
    if (!TIMESTAMP.matcher(formatTime(completedAt)).matches()) {
      throw Fields.malformed(
          "completed_at must be a UTC time in years 0000-9999 with ms precision");
    }
  }

  /** A receipt holding a copy of {@code signature}. */
  public SignedReceipt(
      int schemaVersion,
      WasmResult result,
      String jobId,
      Ed25519PublicKey workerPubkey,
      byte[] signature,
      Instant completedAt) {
    this(
        schemaVersion,
        result,
        jobId,
        workerPubkey,
        Bytes.copyOf(Objects.requireNonNull(signature, "signature")),
        completedAt);
  }

  /** Formats an instant as receipts do: ISO-8601 UTC, millisecond precision, {@code Z}. */
  public static String formatTime(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant);
  }

  /**
   * The exact bytes a worker signs for these fields: {@code "phase-receipt:v1:" ||
   * canonical_json({schema_version, result, job_id, completed_at})}.
   */
  public static byte[] signedMessage(
      int schemaVersion, WasmResult result, String jobId, Instant completedAt) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("schema_version", schemaVersion);
    body.set("result", result.toJson());
    body.put("job_id", jobId);
    body.put("completed_at", formatTime(completedAt));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(DOMAIN.getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(CanonicalJson.write(body));
    return out.toByteArray();
  }

  /** The signed message of this receipt. */
  public byte[] signedMessage() {
    return signedMessage(schemaVersion, result, jobId, completedAt);
  }

  /** The envelope as a JSON object. */
  public ObjectNode toJsonNode() {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("schema_version", schemaVersion);
    node.set("result", result.toJson());
    node.put("job_id", jobId);
    node.put("worker_pubkey", workerPubkey.toHex());
    node.put("signature", signature.hex());
    node.put("completed_at", formatTime(completedAt));
    return node;
  }

  /** The envelope as canonical JSON bytes (UTF-8, compact, keys sorted). */
  public byte[] toJson() {
    return CanonicalJson.write(toJsonNode());
  }

  /**
   * Parses a receipt strictly: at most {@link #MAX_BYTES}, exactly the envelope fields, {@code
   * schema_version} exactly 1, exact lowercase hex, canonical timestamps, and a strictly valid
   * result. Key order and whitespace are free.
   *
   * @throws ReceiptFormatException with reason SCHEMA or MALFORMED
   */
  public static SignedReceipt parse(byte[] json) {
    JsonNode node;
    try {
      node = Json.parse(json, MAX_BYTES);
    } catch (IllegalArgumentException e) {
      throw new ReceiptFormatException(
          Verification.Reason.MALFORMED, "receipt: " + e.getMessage(), e);
    }
    return fromJson(node);
  }

  /** Parses a receipt already read as a JSON tree; same rules as {@link #parse(byte[])}. */
  public static SignedReceipt fromJson(JsonNode node) {
    if (node == null || !node.isObject()) {
      throw Fields.malformed("receipt must be a JSON object");
    }
    JsonNode version = node.get("schema_version");
    if (version == null) {
      throw Fields.malformed("receipt: missing field \"schema_version\"");
    }
    if (!version.isIntegralNumber()
        || !version.canConvertToInt()
        || version.intValue() != SCHEMA_VERSION) {
      throw new ReceiptFormatException(
          Verification.Reason.SCHEMA,
          "receipt: unsupported schema_version "
              + PrintableText.printable(version.toString())
              + " (only 1 is supported)");
    }
    String where = "receipt";
    Fields.READ.object(node, where, FIELDS, StrictFields.Unknown.REJECT);
    WasmResult result = WasmResult.fromJson(node.get("result"));
    if (!Arrays.equals(
        CanonicalJson.write(result.toJson()), CanonicalJson.write(node.get("result")))) {
      throw Fields.malformed("receipt: result does not round-trip canonically");
    }
    String jobId =
        Fields.READ.matching(
            node, "job_id", where, StrictFields.HEX_32_BYTES, "64 lowercase hex chars");
    String pubkeyHex =
        Fields.READ.matching(
            node, "worker_pubkey", where, StrictFields.HEX_32_BYTES, "64 lowercase hex chars");
    String signatureHex =
        Fields.READ.matching(
            node, "signature", where, StrictFields.HEX_64_BYTES, "128 lowercase hex chars");
    String completedText = Fields.READ.text(node, "completed_at", where);
    Instant completedAt = parseTime(completedText);
    Ed25519PublicKey pubkey;
    try {
      pubkey = Ed25519PublicKey.fromRaw(HexFormat.of().parseHex(pubkeyHex));
    } catch (IllegalArgumentException e) {
      throw new ReceiptFormatException(
          Verification.Reason.MALFORMED, "receipt.worker_pubkey: " + e.getMessage(), e);
    }
    return new SignedReceipt(
        SCHEMA_VERSION,
        result,
        jobId,
        pubkey,
        Bytes.wrapOwned(HexFormat.of().parseHex(signatureHex)),
        completedAt);
  }

  private static Instant parseTime(String text) {
    if (!TIMESTAMP.matcher(text).matches()) {
      throw Fields.malformed(
          "receipt.completed_at must look like 2026-05-27T12:00:00Z or 2026-05-27T12:00:00.123Z");
    }
    Instant instant;
    try {
      instant = Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new ReceiptFormatException(
          Verification.Reason.MALFORMED, "receipt.completed_at is not a valid time", e);
    }
    if (!formatTime(instant).equals(text)) {
      throw Fields.malformed(
          "receipt.completed_at is not canonical (write .000 only as no fraction)");
    }
    return instant;
  }

  /** {@code instant} truncated to the precision receipts carry. */
  public static Instant receiptTime(Instant instant) {
    return instant.truncatedTo(ChronoUnit.MILLIS);
  }

  @Override
  public String toString() {
    return "SignedReceipt[job_id="
        + jobId
        + ", worker="
        + result.worker()
        + ", completed_at="
        + formatTime(completedAt)
        + "]";
  }
}
