package io.phase.core.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.phase.p2p.peer.PeerId;
import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a worker says about itself on {@code /phase/worker-info/1.0.0}: who it is, what it runs, the
 * largest job it accepts and its current load, as of {@code issuedAt}. Every field is bounded;
 * {@link #fromJson} refuses anything outside the bounds. Only meaningful once {@link
 * SignedWorkerInfo#verify verified}.
 *
 * @param peer the worker's peer id (the signer)
 * @param arch {@code x86_64} or {@code aarch64}
 * @param cpuCores cores offered, 1..4096
 * @param memoryMb memory of the machine in MiB, 0..16777216 (0 if unknown)
 * @param runtimeName e.g. {@code chicory}: {@code [a-z][a-z0-9-]{0,31}}
 * @param runtimeVersion e.g. {@code 1.7.5}: 1..64 of {@code [A-Za-z0-9._+-]}
 * @param maxJobMemoryMb largest memory a job may ask for, MiB
 * @param maxJobTimeoutMs longest timeout a job may ask for, ms
 * @param maxModuleBytes largest module accepted, bytes
 * @param runningJobs jobs running now
 * @param queuedJobs jobs waiting for a slot
 * @param issuedAt when the worker produced this (millisecond precision)
 */
public record WorkerInfo(
    PeerId peer,
    String arch,
    int cpuCores,
    long memoryMb,
    String runtimeName,
    String runtimeVersion,
    long maxJobMemoryMb,
    long maxJobTimeoutMs,
    long maxModuleBytes,
    int runningJobs,
    int queuedJobs,
    Instant issuedAt) {

  /** The format version written in {@code "v"}. */
  public static final int VERSION = 1;

  private static final Pattern RUNTIME_NAME = Pattern.compile("[a-z][a-z0-9-]{0,31}");
  private static final Pattern RUNTIME_VERSION = Pattern.compile("[A-Za-z0-9._+-]{1,64}");
  private static final long MAX_MEMORY_MB = 1L << 24;
  private static final long MAX_SIZE = 1L << 40;
  private static final long MAX_TIMEOUT_MS = 7L * 24 * 3600 * 1000;
  private static final int MAX_JOBS = 1_000_000;

  /** Checks every bound. */
  public WorkerInfo {
    Objects.requireNonNull(peer, "peer");
    Capability.requireArch(arch);
    range("cpu_cores", cpuCores, 1, 4096);
    range("memory_mb", memoryMb, 0, MAX_MEMORY_MB);
    if (runtimeName == null || !RUNTIME_NAME.matcher(runtimeName).matches()) {
      throw new IllegalArgumentException("runtime name must match " + RUNTIME_NAME);
    }
    if (runtimeVersion == null || !RUNTIME_VERSION.matcher(runtimeVersion).matches()) {
      throw new IllegalArgumentException("runtime version must match " + RUNTIME_VERSION);
    }
    range("max_job.memory_mb", maxJobMemoryMb, 1, MAX_MEMORY_MB);
    range("max_job.timeout_ms", maxJobTimeoutMs, 1, MAX_TIMEOUT_MS);
    range("max_job.module_bytes", maxModuleBytes, 1, MAX_SIZE);
    range("load.running", runningJobs, 0, MAX_JOBS);
    range("load.queued", queuedJobs, 0, MAX_JOBS);
    Objects.requireNonNull(issuedAt, "issuedAt");
    issuedAt = Instant.ofEpochMilli(issuedAt.toEpochMilli());
  }

  private static void range(String name, long v, long min, long max) {
    if (v < min || v > max) {
      throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "]: " + v);
    }
  }

  /** The JSON object that is signed (see {@code docs/protocol.md}, "Worker discovery"). */
  public ObjectNode toJson() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode o = f.objectNode();
    o.put("v", VERSION);
    o.put("peer_id", peer.toBase58());
    o.put("arch", arch);
    o.put("cpu_cores", cpuCores);
    o.put("memory_mb", memoryMb);
    ObjectNode runtime = o.putObject("runtime");
    runtime.put("name", runtimeName);
    runtime.put("version", runtimeVersion);
    ObjectNode max = o.putObject("max_job");
    max.put("memory_mb", maxJobMemoryMb);
    max.put("timeout_ms", maxJobTimeoutMs);
    max.put("module_bytes", maxModuleBytes);
    ObjectNode load = o.putObject("load");
    load.put("running", runningJobs);
    load.put("queued", queuedJobs);
    o.put("issued_at_ms", issuedAt.toEpochMilli());
    return o;
  }

  /**
   * Reads the signed object. Unknown fields are allowed (they are covered by the signature) and
   * ignored.
   *
   * @throws WorkerInfoException if a field is missing, of the wrong type or out of bounds
   */
  public static WorkerInfo fromJson(JsonNode o) throws WorkerInfoException {
    try {
      if (!o.isObject()) {
        throw new IllegalArgumentException("worker info must be a JSON object");
      }
      long v = integer(o, "v");
      if (v != VERSION) {
        throw new IllegalArgumentException("unsupported worker info version " + v);
      }
      JsonNode runtime = object(o, "runtime");
      JsonNode max = object(o, "max_job");
      JsonNode load = object(o, "load");
      return new WorkerInfo(
          PeerId.parse(text(o, "peer_id")),
          text(o, "arch"),
          Math.toIntExact(integer(o, "cpu_cores")),
          integer(o, "memory_mb"),
          text(runtime, "name"),
          text(runtime, "version"),
          integer(max, "memory_mb"),
          integer(max, "timeout_ms"),
          integer(max, "module_bytes"),
          Math.toIntExact(integer(load, "running")),
          Math.toIntExact(integer(load, "queued")),
          Instant.ofEpochMilli(integer(o, "issued_at_ms")));
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new WorkerInfoException("invalid worker info: " + e.getMessage(), e);
    }
  }

  private static JsonNode object(JsonNode o, String field) {
    JsonNode n = o.get(field);
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException("\"" + field + "\" must be an object");
    }
    return n;
  }

  private static String text(JsonNode o, String field) {
    JsonNode n = o.get(field);
    if (n == null || !n.isTextual() || n.textValue().length() > 256) {
      throw new IllegalArgumentException("\"" + field + "\" must be a string of at most 256 chars");
    }
    return n.textValue();
  }

  private static long integer(JsonNode o, String field) {
    JsonNode n = o.get(field);
    if (n == null || !n.isIntegralNumber() || !n.canConvertToLong()) {
      throw new IllegalArgumentException("\"" + field + "\" must be an integer");
    }
    return n.longValue();
  }
}
