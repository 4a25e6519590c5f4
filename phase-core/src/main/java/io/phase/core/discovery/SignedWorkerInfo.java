package io.phase.core.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.phase.core.identity.NodeKey;
import io.phase.core.json.Json;
import io.phase.core.receipt.CanonicalJson;
import io.phase.p2p.crypto.Ed25519PublicKey;
import io.phase.p2p.peer.PeerId;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Iterator;

/**
 * The signed worker-info document: {@code {"info":{…},"signature":"<128 hex digits>"}}, where the
 * signature is Ed25519 by the worker's node key over {@value #DOMAIN} followed by the canonical
 * JSON ({@link CanonicalJson}) of {@code info}. {@link #verify} accepts a document only if it is
 * well formed, names the peer we asked, is signed by that peer's key and is fresh.
 */
public final class SignedWorkerInfo {

  /** Domain separation prefix of the signed bytes. */
  public static final String DOMAIN = "phase-worker-info:v1:";

  /** Largest document accepted (and produced). */
  public static final int MAX_BYTES = 8 * 1024;

  /** How far in the future {@code issued_at_ms} may be (clock skew). */
  public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(1);

  /** Default oldest {@code issued_at_ms} accepted. */
  public static final Duration DEFAULT_MAX_AGE = Duration.ofMinutes(5);

  private SignedWorkerInfo() {}

  /** Signs {@code info} with {@code key}; {@code info.peer()} must be the key's peer id. */
  public static byte[] sign(NodeKey key, WorkerInfo info) {
    if (!info.peer().equals(key.peerId())) {
      throw new IllegalArgumentException("worker info names " + info.peer() + ", not the signer");
    }
    ObjectNode infoJson = info.toJson();
    byte[] signature = key.sign(signedBytes(infoJson));
    ObjectNode doc = JsonNodeFactory.instance.objectNode();
    doc.set("info", infoJson);
    doc.put("signature", HexFormat.of().formatHex(signature));
    byte[] bytes = CanonicalJson.write(doc);
    if (bytes.length > MAX_BYTES) {
      throw new IllegalStateException("worker info document exceeds " + MAX_BYTES + " bytes");
    }
    return bytes;
  }

  /** {@value #DOMAIN} followed by the canonical JSON of {@code info}. */
  static byte[] signedBytes(JsonNode info) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(DOMAIN.getBytes(StandardCharsets.UTF_8));
    out.writeBytes(CanonicalJson.write(info));
    return out.toByteArray();
  }

  /**
   * Verifies a document received from {@code expected}.
   *
   * @param now the current time
   * @param maxAge oldest {@code issued_at_ms} accepted
   * @return the verified details
   * @throws WorkerInfoException if the document is malformed, names another peer, is not signed by
   *     {@code expected}'s key, or is stale or from the future
   */
  public static WorkerInfo verify(byte[] document, PeerId expected, Instant now, Duration maxAge)
      throws WorkerInfoException {
    JsonNode doc;
    try {
      doc = Json.parse(document, MAX_BYTES);
    } catch (IllegalArgumentException e) {
      throw new WorkerInfoException(e.getMessage(), e);
    }
    if (!doc.isObject() || doc.size() != 2) {
      throw new WorkerInfoException("document must be an object with \"info\" and \"signature\"");
    }
    for (Iterator<String> it = doc.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!f.equals("info") && !f.equals("signature")) {
        throw new WorkerInfoException("unknown field \"" + f + "\"");
      }
    }
    JsonNode infoJson = doc.get("info");
    JsonNode sig = doc.get("signature");
    if (infoJson == null || sig == null || !sig.isTextual()) {
      throw new WorkerInfoException("document must have \"info\" and a string \"signature\"");
    }
    WorkerInfo info = WorkerInfo.fromJson(infoJson);
    if (!info.peer().equals(expected)) {
      throw new WorkerInfoException("worker info names " + info.peer() + ", expected " + expected);
    }
    Ed25519PublicKey key =
        expected
            .publicKey()
            .orElseThrow(() -> new WorkerInfoException("peer id embeds no Ed25519 key"));
    byte[] signature;
    try {
      signature = HexFormat.of().parseHex(sig.textValue());
    } catch (IllegalArgumentException e) {
      throw new WorkerInfoException("signature is not hex", e);
    }
    if (signature.length != Ed25519PublicKey.SIGNATURE_LENGTH
        || !sig.textValue().equals(HexFormat.of().formatHex(signature))) {
      throw new WorkerInfoException("signature must be 128 lowercase hex digits");
    }
    byte[] signed;
    try {
      signed = signedBytes(infoJson);
    } catch (IllegalArgumentException e) {
      throw new WorkerInfoException("info cannot be canonicalised: " + e.getMessage(), e);
    }
    if (!key.verify(signed, signature)) {
      throw new WorkerInfoException("bad signature by " + expected);
    }
    if (info.issuedAt().isBefore(now.minus(maxAge))) {
      throw new WorkerInfoException(
          "worker info is stale: issued " + info.issuedAt() + ", now " + now);
    }
    if (info.issuedAt().isAfter(now.plus(MAX_CLOCK_SKEW))) {
      throw new WorkerInfoException(
          "worker info is from the future: issued " + info.issuedAt() + ", now " + now);
    }
    return info;
  }
}
