package io.phase.core.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.phase.core.exec.JobId;
import io.phase.core.json.Json;
import io.phase.core.receipt.OutputSummary;
import io.phase.p2p.multiaddr.Multiaddr;
import io.phase.p2p.peer.PeerId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * What a restarted process needs to follow a job again: the job, its worker and where to dial it,
 * the module hash, and the output commitment over the chunks already delivered (so the receipt can
 * still be verified over the whole output without replaying it). Serialised as a small JSON object.
 */
public record HandleState(
    String jobId,
    PeerId worker,
    List<Multiaddr> addresses,
    String moduleHash,
    long maxOutputBytes,
    OutputSummary delivered) {

  /** Largest serialised state accepted. */
  public static final int MAX_BYTES = 16 * 1024;

  public HandleState {
    if (!JobId.isWellFormed(jobId)) {
      throw new IllegalArgumentException("job_id must be 64 lowercase hex");
    }
    Objects.requireNonNull(worker, "worker");
    addresses = List.copyOf(addresses);
    if (addresses.isEmpty() || addresses.size() > 32) {
      throw new IllegalArgumentException("1..32 addresses");
    }
    if (!moduleHash.matches("sha256:[0-9a-f]{64}")) {
      throw new IllegalArgumentException("module_hash must be sha256:<64 hex>");
    }
    if (maxOutputBytes < 0) {
      throw new IllegalArgumentException("max_output_bytes must not be negative");
    }
    Objects.requireNonNull(delivered, "delivered");
  }

  /** The JSON form. */
  public String toJson() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode node = f.objectNode();
    node.put("job_id", jobId);
    node.put("worker", worker.toBase58());
    ArrayNode addrs = node.putArray("addresses");
    addresses.forEach(a -> addrs.add(a.toString()));
    node.put("module_hash", moduleHash);
    node.put("max_output_bytes", maxOutputBytes);
    node.put("commitment", delivered.commitmentHex());
    node.put("chunks", delivered.chunks());
    node.put("stdout_bytes", delivered.stdoutBytes());
    node.put("stderr_bytes", delivered.stderrBytes());
    return node.toString();
  }

  /**
   * Parses {@link #toJson()}'s output.
   *
   * @throws IllegalArgumentException if it is malformed
   */
  public static HandleState parse(String json) {
    JsonNode node = Json.parse(json.getBytes(StandardCharsets.UTF_8), MAX_BYTES);
    if (!node.isObject()) {
      throw new IllegalArgumentException("handle state must be a JSON object");
    }
    List<Multiaddr> addrs = new ArrayList<>();
    JsonNode list = required(node, "addresses");
    if (!list.isArray()) {
      throw new IllegalArgumentException("addresses must be an array");
    }
    for (JsonNode a : list) {
      addrs.add(Multiaddr.parse(a.asText()));
    }
    return new HandleState(
        required(node, "job_id").asText(),
        PeerId.parse(required(node, "worker").asText()),
        addrs,
        required(node, "module_hash").asText(),
        number(node, "max_output_bytes"),
        new OutputSummary(
            HexFormat.of().parseHex(required(node, "commitment").asText()),
            number(node, "chunks"),
            number(node, "stdout_bytes"),
            number(node, "stderr_bytes")));
  }

  private static JsonNode required(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      throw new IllegalArgumentException("handle state lacks " + field);
    }
    return v;
  }

  private static long number(JsonNode node, String field) {
    JsonNode v = required(node, field);
    if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
      throw new IllegalArgumentException(field + " must be a non-negative integer");
    }
    return v.longValue();
  }
}
