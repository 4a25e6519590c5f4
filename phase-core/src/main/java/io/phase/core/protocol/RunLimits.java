package io.phase.core.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.phase.core.json.StrictFields.Unknown;
import io.phase.core.sandbox.SandboxLimits;
import java.util.List;

/**
 * The run limits of a {@code /phase/job-run/1.0.0} job: what the client asks for in {@code SUBMIT},
 * and what the worker will enforce in {@code ACCEPTED}.
 *
 * @param memoryMb 1..{@value SandboxLimits#MAX_MEMORY_MB}
 * @param timeoutMs 1..{@value #MAX_TIMEOUT_MS} (one day)
 * @param maxOutputBytes stdout and stderr together, 0..{@value RunMessage#MAX_SIZE}
 */
public record RunLimits(int memoryMb, long timeoutMs, long maxOutputBytes) {

  /** Longest timeout expressible: one day. */
  public static final long MAX_TIMEOUT_MS = 24L * 3600 * 1000;

  private static final List<String> FIELDS = List.of("memory_mb", "timeout_ms", "max_output_bytes");

  public RunLimits {
    if (memoryMb < 1 || memoryMb > SandboxLimits.MAX_MEMORY_MB) {
      throw new ProtocolException(
          "limits.memory_mb must be 1.." + SandboxLimits.MAX_MEMORY_MB + ", got " + memoryMb);
    }
    if (timeoutMs < 1 || timeoutMs > MAX_TIMEOUT_MS) {
      throw new ProtocolException(
          "limits.timeout_ms must be 1.." + MAX_TIMEOUT_MS + ", got " + timeoutMs);
    }
    if (maxOutputBytes < 0 || maxOutputBytes > RunMessage.MAX_SIZE) {
      throw new ProtocolException(
          "limits.max_output_bytes must be 0.." + RunMessage.MAX_SIZE + ", got " + maxOutputBytes);
    }
  }

  ObjectNode toJson() {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("memory_mb", memoryMb);
    node.put("timeout_ms", timeoutMs);
    node.put("max_output_bytes", maxOutputBytes);
    return node;
  }

  static RunLimits fromJson(JsonNode node, String where) {
    JsonFields.READ.object(node, where, FIELDS, Unknown.REJECT);
    return new RunLimits(
        (int) JsonFields.READ.integer(node, "memory_mb", where, 0, SandboxLimits.MAX_MEMORY_MB),
        JsonFields.READ.integer(node, "timeout_ms", where, 0, MAX_TIMEOUT_MS),
        JsonFields.READ.integer(node, "max_output_bytes", where, 0, RunMessage.MAX_SIZE));
  }
}
