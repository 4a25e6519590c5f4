package io.phase.core.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.phase.core.json.StrictFields;
import io.phase.core.json.StrictFields.Unknown;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The request of {@code /phase/job-offer/1.0.0}: "would you run this module with these
 * requirements?"
 *
 * <pre>
 * {"job_id":"…","nonce":"…","module_hash":"sha256:&lt;64 hex&gt;",
 *  "requirements":{"cpu_cores":1,"memory_mb":128,"timeout_seconds":30,"arch":"x86_64","wasm_runtime":"…"}}
 * </pre>
 *
 * Parsing follows serde's defaults so Rust nodes interoperate: unknown fields are ignored, but
 * every field above is required, typed strictly and bounded (see {@code docs/protocol.md}).
 *
 * @param jobId 1..{@value #MAX_ID_CHARS} printable ASCII characters (admission may require more)
 * @param nonce 1..{@value #MAX_ID_CHARS} printable ASCII characters
 * @param moduleHash {@code sha256:<64 lowercase hex>}
 */
public record JobOffer(String jobId, String nonce, String moduleHash, Requirements requirements) {

  /** Longest job id or nonce accepted. */
  public static final int MAX_ID_CHARS = 128;

  /** Longest arch or runtime name accepted. */
  public static final int MAX_NAME_CHARS = 64;

  /** Largest {@code cpu_cores}: Rust's u32. */
  public static final long MAX_CPU_CORES = 0xffff_ffffL;

  static final Pattern ID = Pattern.compile("[\\x21-\\x7e]{1," + MAX_ID_CHARS + "}");
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1," + MAX_NAME_CHARS + "}");
  private static final List<String> FIELDS =
      List.of("job_id", "nonce", "module_hash", "requirements");

  public JobOffer {
    Objects.requireNonNull(requirements, "requirements");
    requireMatch(jobId, ID, "job_id", "1..128 printable ASCII characters");
    requireMatch(nonce, ID, "nonce", "1..128 printable ASCII characters");
    requireMatch(moduleHash, StrictFields.MODULE_HASH, "module_hash", "sha256:<64 lowercase hex>");
  }

  /**
   * What the job needs from the worker.
   *
   * @param arch {@code x86_64}, {@code aarch64}, …: 1..64 of {@code [A-Za-z0-9_.-]}
   * @param wasmRuntime the runtime kind: 1..64 of {@code [A-Za-z0-9_.-]}
   */
  public record Requirements(
      long cpuCores, long memoryMb, long timeoutSeconds, String arch, String wasmRuntime) {

    private static final List<String> FIELDS =
        List.of("cpu_cores", "memory_mb", "timeout_seconds", "arch", "wasm_runtime");

    public Requirements {
      if (cpuCores < 0 || cpuCores > MAX_CPU_CORES || memoryMb < 0 || timeoutSeconds < 0) {
        throw new IllegalArgumentException("requirements must be non-negative (cpu_cores a u32)");
      }
      requireMatch(arch, NAME, "requirements.arch", "1..64 of [A-Za-z0-9_.-]");
      requireMatch(wasmRuntime, NAME, "requirements.wasm_runtime", "1..64 of [A-Za-z0-9_.-]");
    }

    ObjectNode toJson() {
      ObjectNode node = JsonNodeFactory.instance.objectNode();
      node.put("cpu_cores", cpuCores);
      node.put("memory_mb", memoryMb);
      node.put("timeout_seconds", timeoutSeconds);
      node.put("arch", arch);
      node.put("wasm_runtime", wasmRuntime);
      return node;
    }

    static Requirements fromJson(JsonNode node) {
      String where = "job offer.requirements";
      JsonFields.READ.object(node, where, FIELDS, Unknown.IGNORE);
      return new Requirements(
          JsonFields.READ.integer(node, "cpu_cores", where, 0, MAX_CPU_CORES),
          JsonFields.READ.integer(node, "memory_mb", where, 0, Long.MAX_VALUE),
          JsonFields.READ.integer(node, "timeout_seconds", where, 0, Long.MAX_VALUE),
          JsonFields.READ.matching(
              node, "arch", where, MAX_NAME_CHARS, NAME, "1..64 of [A-Za-z0-9_.-]"),
          JsonFields.READ.matching(
              node, "wasm_runtime", where, MAX_NAME_CHARS, NAME, "1..64 of [A-Za-z0-9_.-]"));
    }
  }

  /** The offer as a JSON object, fields in the Rust struct's order. */
  public ObjectNode toJsonNode() {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("job_id", jobId);
    node.put("nonce", nonce);
    node.put("module_hash", moduleHash);
    node.set("requirements", requirements.toJson());
    return node;
  }

  /**
   * Reads an offer from a parsed JSON tree.
   *
   * @throws ProtocolException if a field is missing, mistyped or out of bounds
   */
  public static JobOffer fromJson(JsonNode node) {
    String where = "job offer";
    JsonFields.READ.object(node, where, FIELDS, Unknown.IGNORE);
    return new JobOffer(
        JsonFields.READ.matching(node, "job_id", where, MAX_ID_CHARS, ID, "1..128 printable ASCII"),
        JsonFields.READ.matching(node, "nonce", where, MAX_ID_CHARS, ID, "1..128 printable ASCII"),
        JsonFields.READ.matching(
            node, "module_hash", where, 71, StrictFields.MODULE_HASH, "sha256:<64 lowercase hex>"),
        Requirements.fromJson(node.get("requirements")));
  }

  static void requireMatch(String value, Pattern pattern, String name, String what) {
    Objects.requireNonNull(value, name);
    if (!pattern.matcher(value).matches()) {
      throw new ProtocolException(name + " must be " + what);
    }
  }
}
