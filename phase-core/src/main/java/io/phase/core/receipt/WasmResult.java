package io.phase.core.receipt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.phase.core.json.StrictFields;
import io.phase.p2p.peer.PeerId;
import io.phase.p2p.text.PrintableText;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * The outcome of running one WASM job, as signed inside a {@link SignedReceipt}. Every field is
 * validated on construction, so an instance always serialises to a well-formed result; {@link
 * #fromJson} is strict (unknown, missing, mistyped or out-of-range fields are rejected). See {@code
 * docs/receipts.md} for the JSON schema.
 *
 * @param jobId 64 lowercase hex chars (32 bytes)
 * @param moduleHash {@code "sha256:"} + 64 lowercase hex chars
 * @param exitCode present exactly when {@code outcome} is {@link OutcomeKind#EXITED}
 * @param detail trap message or reason, at most {@value #MAX_DETAIL_CODE_POINTS} code points
 * @param worker the worker's Ed25519 peer id (written in base58btc)
 */
public record WasmResult(
    String jobId,
    String moduleHash,
    OutcomeKind outcome,
    OptionalInt exitCode,
    String detail,
    long wallTimeMs,
    Output output,
    Limits limits,
    RuntimeInfo runtime,
    PeerId worker,
    List<Input> inputs,
    List<OutputTree> outputs) {

  /** A result without output trees (the only kind before output trees existed). */
  public WasmResult(
      String jobId,
      String moduleHash,
      OutcomeKind outcome,
      OptionalInt exitCode,
      String detail,
      long wallTimeMs,
      Output output,
      Limits limits,
      RuntimeInfo runtime,
      PeerId worker,
      List<Input> inputs) {
    this(
        jobId,
        moduleHash,
        outcome,
        exitCode,
        detail,
        wallTimeMs,
        output,
        limits,
        runtime,
        worker,
        inputs,
        List.of());
  }

  /** A result without input trees (the only kind before input trees existed). */
  public WasmResult(
      String jobId,
      String moduleHash,
      OutcomeKind outcome,
      OptionalInt exitCode,
      String detail,
      long wallTimeMs,
      Output output,
      Limits limits,
      RuntimeInfo runtime,
      PeerId worker) {
    this(
        jobId,
        moduleHash,
        outcome,
        exitCode,
        detail,
        wallTimeMs,
        output,
        limits,
        runtime,
        worker,
        List.of(),
        List.of());
  }

  /** Most input trees a result names. */
  public static final int MAX_INPUTS = 16;

  /**
   * One input tree the job ran with: where the guest saw it, its Merkle digest (docs/protocol.md,
   * "Input trees") and whether it was read-only. Optional in the JSON: a result without inputs has
   * no {@code inputs} key, so receipts from before input trees still verify.
   */
  public record Input(String path, String digest, boolean readOnly) {
    private static final List<String> FIELDS = List.of("path", "digest", "read_only");
    private static final Pattern PATH = Pattern.compile("(/[A-Za-z0-9._+@=,-]{1,255})+");

    public Input {
      Objects.requireNonNull(path, "path");
      if (path.length() > 256
          || !PATH.matcher(path).matches()
          || path.contains("/./")
          || path.contains("/../")
          || path.endsWith("/.")
          || path.endsWith("/..")) {
        throw Fields.malformed("result.inputs[].path must be an absolute guest path");
      }
      requireMatch(
          digest, StrictFields.MODULE_HASH, "inputs[].digest", "\"sha256:\" + 64 lowercase hex");
    }

    ObjectNode toJson() {
      ObjectNode node = JsonNodeFactory.instance.objectNode();
      node.put("path", path);
      node.put("digest", digest);
      node.put("read_only", readOnly);
      return node;
    }

    static Input fromJson(JsonNode node) {
      String where = "result.inputs[]";
      Fields.READ.object(node, where, FIELDS, StrictFields.Unknown.REJECT);
      JsonNode ro = node.get("read_only");
      if (!ro.isBoolean()) {
        throw Fields.malformed(where + ".read_only must be true or false");
      }
      return new Input(
          Fields.READ.text(node, "path", where),
          Fields.READ.text(node, "digest", where),
          ro.booleanValue());
    }
  }

  /**
   * One output tree the worker returned ({@code phase run --out}): the guest directory, the Merkle
   * digest of what it held after the run (docs/protocol.md, "Input trees") and the exact byte
   * length of its workspace archive as sent. Optional in the JSON: a result without output trees
   * has no {@code outputs} key, so older receipts still verify.
   */
  public record OutputTree(String path, String digest, long size) {
    private static final List<String> FIELDS = List.of("path", "digest", "size");

    public OutputTree {
      try {
        new Input(path, digest, false); // the same path and digest rules
      } catch (ReceiptFormatException e) {
        throw Fields.malformed(e.getMessage().replace("inputs[]", "outputs[]"));
      }
      if (size < 6 || size > (1L << 40)) {
        throw Fields.malformed("result.outputs[].size must be 6..2^40, got " + size);
      }
    }

    ObjectNode toJson() {
      ObjectNode node = JsonNodeFactory.instance.objectNode();
      node.put("path", path);
      node.put("digest", digest);
      node.put("size", size);
      return node;
    }

    static OutputTree fromJson(JsonNode node) {
      String where = "result.outputs[]";
      Fields.READ.object(node, where, FIELDS, StrictFields.Unknown.REJECT);
      return new OutputTree(
          Fields.READ.text(node, "path", where),
          Fields.READ.text(node, "digest", where),
          Fields.READ.integer(node, "size", where, 6, 1L << 40));
    }
  }

  /** Longest {@code detail}, in Unicode code points. */
  public static final int MAX_DETAIL_CODE_POINTS = 1024;

  private static final List<String> FIELDS =
      List.of(
          "job_id",
          "module_hash",
          "outcome",
          "exit_code",
          "detail",
          "wall_time_ms",
          "output",
          "limits",
          "runtime",
          "worker");

  /** How the module was executed by the runtime. */
  public enum Mode {
    COMPILED("compiled"),
    INTERPRETED("interpreted"),
    MIXED("mixed");

    private final String wireName;

    Mode(String wireName) {
      this.wireName = wireName;
    }

    /** The JSON spelling. */
    public String wireName() {
      return wireName;
    }

    public static Mode fromWireName(String name) {
      for (Mode m : values()) {
        if (m.wireName.equals(name)) {
          return m;
        }
      }
      throw Fields.malformed(
          "result.runtime.mode is not a known mode: \"" + PrintableText.printable(name) + "\"");
    }
  }

  /**
   * The committed output.
   *
   * @param commitment final commitment state, 64 lowercase hex chars
   */
  public record Output(String commitment, long chunks, long stdoutBytes, long stderrBytes) {
    private static final List<String> FIELDS =
        List.of("commitment", "chunks", "stdout_bytes", "stderr_bytes");
    private static final String EMPTY = HexFormat.of().formatHex(OutputCommitment.initialState());

    public Output {
      requireMatch(
          commitment, StrictFields.HEX_32_BYTES, "output.commitment", "64 lowercase hex chars");
      requireRange(chunks, 0, Long.MAX_VALUE, "output.chunks");
      requireRange(stdoutBytes, 0, Long.MAX_VALUE, "output.stdout_bytes");
      requireRange(stderrBytes, 0, Long.MAX_VALUE, "output.stderr_bytes");
      if (chunks == 0 && (stdoutBytes != 0 || stderrBytes != 0 || !commitment.equals(EMPTY))) {
        throw Fields.malformed(
            "result.output: zero chunks requires zero bytes and the empty commitment");
      }
    }

    /** The output described by a replayed or live {@link OutputSummary}. */
    public static Output of(OutputSummary summary) {
      return new Output(
          summary.commitmentHex(), summary.chunks(), summary.stdoutBytes(), summary.stderrBytes());
    }

    /** Whether {@code summary} (e.g. a replayed transcript) is exactly this output. */
    public boolean matches(OutputSummary summary) {
      return commitment.equals(summary.commitmentHex())
          && chunks == summary.chunks()
          && stdoutBytes == summary.stdoutBytes()
          && stderrBytes == summary.stderrBytes();
    }

    ObjectNode toJson() {
      ObjectNode node = JsonNodeFactory.instance.objectNode();
      node.put("commitment", commitment);
      node.put("chunks", chunks);
      node.put("stdout_bytes", stdoutBytes);
      node.put("stderr_bytes", stderrBytes);
      return node;
    }

    static Output fromJson(JsonNode node) {
      String where = "result.output";
      Fields.READ.object(node, where, FIELDS, StrictFields.Unknown.REJECT);
      return new Output(
          Fields.READ.text(node, "commitment", where),
          Fields.READ.integer(node, "chunks", where, 0, Long.MAX_VALUE),
          Fields.READ.integer(node, "stdout_bytes", where, 0, Long.MAX_VALUE),
          Fields.READ.integer(node, "stderr_bytes", where, 0, Long.MAX_VALUE));
    }
  }

  /**
   * The limits the worker actually enforced (after clamping the request).
   *
   * @param memoryMb 1..32768
   * @param timeoutMs 1..3,600,000
   * @param maxOutputBytes 0..2^40
   * @param maxModuleBytes 1..2^31-1
   */
  public record Limits(int memoryMb, long timeoutMs, long maxOutputBytes, long maxModuleBytes) {
    private static final List<String> FIELDS =
        List.of("memory_mb", "timeout_ms", "max_output_bytes", "max_module_bytes");

    public Limits {
      requireRange(memoryMb, 1, 32768, "limits.memory_mb");
      requireRange(timeoutMs, 1, 3_600_000, "limits.timeout_ms");
      requireRange(maxOutputBytes, 0, 1L << 40, "limits.max_output_bytes");
      requireRange(maxModuleBytes, 1, Integer.MAX_VALUE, "limits.max_module_bytes");
    }

    ObjectNode toJson() {
      ObjectNode node = JsonNodeFactory.instance.objectNode();
      node.put("memory_mb", memoryMb);
      node.put("timeout_ms", timeoutMs);
      node.put("max_output_bytes", maxOutputBytes);
      node.put("max_module_bytes", maxModuleBytes);
      return node;
    }

    static Limits fromJson(JsonNode node) {
      String where = "result.limits";
      Fields.READ.object(node, where, FIELDS, StrictFields.Unknown.REJECT);
      return new Limits(
          (int) Fields.READ.integer(node, "memory_mb", where, 1, 32768),
          Fields.READ.integer(node, "timeout_ms", where, 1, 3_600_000),
          Fields.READ.integer(node, "max_output_bytes", where, 0, 1L << 40),
          Fields.READ.integer(node, "max_module_bytes", where, 1, Integer.MAX_VALUE));
    }
  }

  /**
   * The runtime that executed the job.
   *
   * @param name e.g. {@code "chicory"}; {@code [a-z][a-z0-9-]{0,31}}
   * @param version e.g. {@code "1.7.5"}; {@code [0-9A-Za-z][0-9A-Za-z.+-]{0,63}}
   * @param interpretedFunctions how many functions ran in the interpreter (0 when fully compiled)
   */
  public record RuntimeInfo(String name, String version, Mode mode, int interpretedFunctions) {
    private static final List<String> FIELDS =
        List.of("name", "version", "mode", "interpreted_functions");
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,31}");
    private static final Pattern VERSION = Pattern.compile("[0-9A-Za-z][0-9A-Za-z.+-]{0,63}");

    public RuntimeInfo {
      requireMatch(name, NAME, "runtime.name", "a lowercase name of at most 32 chars");
      requireMatch(version, VERSION, "runtime.version", "a version string of at most 64 chars");
      Objects.requireNonNull(mode, "mode");
      requireRange(interpretedFunctions, 0, Integer.MAX_VALUE, "runtime.interpreted_functions");
    }

    ObjectNode toJson() {
      ObjectNode node = JsonNodeFactory.instance.objectNode();
      node.put("name", name);
      node.put("version", version);
      node.put("mode", mode.wireName());
      node.put("interpreted_functions", interpretedFunctions);
      return node;
    }

    static RuntimeInfo fromJson(JsonNode node) {
      String where = "result.runtime";
      Fields.READ.object(node, where, FIELDS, StrictFields.Unknown.REJECT);
      return new RuntimeInfo(
          Fields.READ.text(node, "name", where),
          Fields.READ.text(node, "version", where),
          Mode.fromWireName(Fields.READ.text(node, "mode", where)),
          (int) Fields.READ.integer(node, "interpreted_functions", where, 0, Integer.MAX_VALUE));
    }
  }

  /** Validates every field; throws {@link ReceiptFormatException} (MALFORMED) on violation. */
  public WasmResult {
    requireMatch(jobId, StrictFields.HEX_32_BYTES, "job_id", "64 lowercase hex chars");
    requireMatch(
        moduleHash, StrictFields.MODULE_HASH, "module_hash", "\"sha256:\" + 64 lowercase hex");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(exitCode, "exitCode");
    if ((outcome == OutcomeKind.EXITED) != exitCode.isPresent()) {
      throw Fields.malformed(
          "result.exit_code must be an integer when outcome is \"exited\" and null otherwise");
    }
    Objects.requireNonNull(detail, "detail");
    if (detail.codePointCount(0, detail.length()) > MAX_DETAIL_CODE_POINTS) {
      throw Fields.malformed("result.detail longer than " + MAX_DETAIL_CODE_POINTS + " characters");
    }
    requireRange(wallTimeMs, 0, Long.MAX_VALUE, "wall_time_ms");
    Objects.requireNonNull(output, "output");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(runtime, "runtime");
    Objects.requireNonNull(worker, "worker");
    if (worker.publicKey().isEmpty()) {
      throw Fields.malformed("result.worker must be an Ed25519 peer id");
    }
    inputs = List.copyOf(inputs);
    if (inputs.size() > MAX_INPUTS) {
      throw Fields.malformed("result.inputs has more than " + MAX_INPUTS + " entries");
    }
    outputs = List.copyOf(outputs);
    if (outputs.size() > MAX_INPUTS) {
      throw Fields.malformed("result.outputs has more than " + MAX_INPUTS + " entries");
    }
  }

  /** The result as a JSON object (field order irrelevant: it is signed canonically). */
  public ObjectNode toJson() {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("job_id", jobId);
    node.put("module_hash", moduleHash);
    node.put("outcome", outcome.wireName());
    if (exitCode.isPresent()) {
      node.put("exit_code", exitCode.getAsInt());
    } else {
      node.putNull("exit_code");
    }
    node.put("detail", detail);
    node.put("wall_time_ms", wallTimeMs);
    node.set("output", output.toJson());
    node.set("limits", limits.toJson());
    node.set("runtime", runtime.toJson());
    node.put("worker", worker.toBase58());
    if (!inputs.isEmpty()) {
      var array = node.putArray("inputs");
      inputs.forEach(i -> array.add(i.toJson()));
    }
    if (!outputs.isEmpty()) {
      var array = node.putArray("outputs");
      outputs.forEach(o -> array.add(o.toJson()));
    }
    return node;
  }

  /**
   * Removes the optional array {@code field} from {@code node} and parses its 1..{@value
   * #MAX_INPUTS} objects; empty when the field is absent.
   */
  private static <T> List<T> takeList(
      ObjectNode node, String field, java.util.function.Function<JsonNode, T> parse) {
    JsonNode array = node.remove(field);
    if (array == null) {
      return List.of();
    }
    if (!array.isArray() || array.isEmpty() || array.size() > MAX_INPUTS) {
      throw Fields.malformed(
          "result." + field + " must be an array of 1.." + MAX_INPUTS + " objects when present");
    }
    List<T> parsed = new java.util.ArrayList<>();
    for (JsonNode item : array) {
      parsed.add(parse.apply(item));
    }
    return parsed;
  }

  /**
   * Parses a result object strictly.
   *
   * @throws ReceiptFormatException (MALFORMED) describing the first problem found
   */
  public static WasmResult fromJson(JsonNode node) {
    String where = "result";
    List<Input> inputs = List.of();
    List<OutputTree> outputs = List.of();
    if (node != null && node.isObject()) {
      // The optional lists are read first and taken out, so the strict read sees the v1 fields.
      ObjectNode rest = ((ObjectNode) node).deepCopy();
      inputs = takeList(rest, "inputs", Input::fromJson);
      outputs = takeList(rest, "outputs", OutputTree::fromJson);
      node = rest;
    }
    Fields.READ.object(node, where, FIELDS, StrictFields.Unknown.REJECT);
    OutcomeKind outcome = OutcomeKind.fromWireName(Fields.READ.text(node, "outcome", where));
    JsonNode exit = node.get("exit_code");
    OptionalInt exitCode;
    if (exit.isNull()) {
      exitCode = OptionalInt.empty();
    } else {
      exitCode =
          OptionalInt.of(
              (int)
                  Fields.READ.integer(
                      node, "exit_code", where, Integer.MIN_VALUE, Integer.MAX_VALUE));
    }
    String workerText = Fields.READ.text(node, "worker", where);
    PeerId worker;
    try {
      worker = PeerId.parse(workerText);
    } catch (IllegalArgumentException e) {
      throw new ReceiptFormatException(
          Verification.Reason.MALFORMED, "result.worker: " + e.getMessage(), e);
    }
    if (!worker.toBase58().equals(workerText)) {
      throw Fields.malformed("result.worker must be written in base58btc");
    }
    return new WasmResult(
        Fields.READ.text(node, "job_id", where),
        Fields.READ.text(node, "module_hash", where),
        outcome,
        exitCode,
        Fields.READ.text(node, "detail", where),
        Fields.READ.integer(node, "wall_time_ms", where, 0, Long.MAX_VALUE),
        Output.fromJson(node.get("output")),
        Limits.fromJson(node.get("limits")),
        RuntimeInfo.fromJson(node.get("runtime")),
        worker,
        inputs,
        outputs);
  }

  private static void requireMatch(String value, Pattern pattern, String field, String what) {
    Objects.requireNonNull(value, field);
    if (!pattern.matcher(value).matches()) {
      throw Fields.malformed("result." + field + " must be " + what);
    }
  }

  private static void requireRange(long value, long min, long max, String field) {
    if (value < min || value > max) {
      throw Fields.malformed(
          "result." + field + " out of range [" + min + ", " + max + "]: " + value);
    }
  }
}
