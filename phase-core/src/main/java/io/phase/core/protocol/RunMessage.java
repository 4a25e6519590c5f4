package io.phase.core.protocol;

import io.phase.core.exec.JobId;
import io.phase.core.json.StrictFields;
import io.phase.core.receipt.OutputKind;
import io.phase.core.receipt.SignedReceipt;
import io.phase.p2p.bytes.Bytes;
import io.phase.p2p.text.PrintableText;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The messages of {@code /phase/job-run/1.0.0}. Each is one frame; {@link Type} gives its wire
 * code, sender and body cap. Constructors validate every field, so a decoded message is
 * well-formed; order is checked by {@link ClientRunSession} and {@link WorkerRunSession}. See
 * {@code docs/protocol.md}.
 */
public sealed interface RunMessage {

  /** The libp2p protocol id. */
  String PROTOCOL_ID = "/phase/job-run/1.0.0";

  /** Largest JSON body of a control frame. */
  int MAX_CONTROL_BODY = 64 * 1024;

  /** Largest payload of one data chunk (module, stdin, workspace, output). */
  int MAX_CHUNK_BYTES = 256 * 1024;

  /** Largest declared size (module, stdin, workspace, output cap): 1 TiB, far above any policy. */
  long MAX_SIZE = 1L << 40;

  /** Most arguments in a SUBMIT. */
  int MAX_ARGS = 1024;

  /** Most environment variables in a SUBMIT. */
  int MAX_ENV = 256;

  /** Longest argument or environment value, in chars. */
  int MAX_ARG_CHARS = 4096;

  /** Longest environment variable name, in chars. */
  int MAX_ENV_NAME_CHARS = 256;

  /** Longest ERROR message, in chars. */
  int MAX_ERROR_CHARS = 1024;

  /** Nonces are 16..64 random bytes as lowercase hex. */
  Pattern NONCE = Pattern.compile("(?:[0-9a-f]{2}){16,64}");

  /** Which side sends a message. */
  enum Sender {
    CLIENT,
    WORKER
  }

  /** How a frame's body is encoded. */
  enum Body {
    JSON,
    RAW,
    OUTPUT
  }

  /** Wire codes; the code is the first payload byte of a frame. */
  enum Type {
    SUBMIT(0x01, Sender.CLIENT, Body.JSON),
    MODULE_DATA(0x02, Sender.CLIENT, Body.RAW),
    STDIN_DATA(0x03, Sender.CLIENT, Body.RAW),
    WORKSPACE_DATA(0x04, Sender.CLIENT, Body.RAW),
    CANCEL(0x05, Sender.CLIENT, Body.JSON),
    ATTACH(0x06, Sender.CLIENT, Body.JSON),
    ACCEPTED(0x10, Sender.WORKER, Body.JSON),
    REJECTED(0x11, Sender.WORKER, Body.JSON),
    NEED_MODULE(0x12, Sender.WORKER, Body.JSON),
    HAVE_MODULE(0x13, Sender.WORKER, Body.JSON),
    ATTACHED(0x14, Sender.WORKER, Body.JSON),
    OUTPUT(0x15, Sender.WORKER, Body.OUTPUT),
    RESULT(0x16, Sender.WORKER, Body.JSON),
    ERROR(0x17, Sender.WORKER, Body.JSON),
    OUTPUT_TREE(0x18, Sender.WORKER, Body.RAW);

    private final int code;
    private final Sender sender;
    private final Body body;

    Type(int code, Sender sender, Body body) {
      this.code = code;
      this.sender = sender;
      this.body = body;
    }

    public int code() {
      return code;
    }

    public Sender sender() {
      return sender;
    }

    public Body body() {
      return body;
    }

    /** Largest body of this type, in bytes. */
    public int maxBody() {
      return switch (body) {
        case JSON -> this == RESULT ? SignedReceipt.MAX_BYTES : MAX_CONTROL_BODY;
        case RAW -> MAX_CHUNK_BYTES;
        case OUTPUT -> Output.HEADER_BYTES + MAX_CHUNK_BYTES;
      };
    }

    /** The type with wire code {@code code}, or null. */
    public static Type ofCode(int code) {
      for (Type t : values()) {
        if (t.code == code) {
          return t;
        }
      }
      return null;
    }
  }

  /** Codes of ERROR frames. */
  enum ErrorCode {
    /** The peer broke the protocol: bad frame, wrong order, size mismatch. */
    PROTOCOL("protocol"),
    /** The module's bytes do not hash to the declared module_hash. */
    MODULE_HASH_MISMATCH("module_hash_mismatch"),
    /** The workspace archive was malformed or broke a rule. */
    BAD_WORKSPACE("bad_workspace"),
    /** ATTACH or CANCEL named a job this worker does not know. */
    UNKNOWN_JOB("unknown_job"),
    /** ATTACH asked for output older than the worker still holds. */
    REPLAY_UNAVAILABLE("replay_unavailable"),
    /** The requester may not attach to or cancel this job. */
    FORBIDDEN("forbidden"),
    /** The job was cancelled before it started. */
    CANCELLED("cancelled"),
    /** The worker failed; the job did not produce a receipt. */
    INTERNAL("internal");

    private final String wireName;

    ErrorCode(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }

    /** The code spelled {@code name}, or null. */
    public static ErrorCode ofWireName(String name) {
      for (ErrorCode c : values()) {
        if (c.wireName.equals(name)) {
          return c;
        }
      }
      return null;
    }
  }

  /** This message's type. */
  Type type();

  /** Client: start a job. The declared sizes are exact; the data frames must add up to them. */
  record Submit(
      String jobId,
      String nonce,
      String moduleHash,
      long moduleSize,
      List<String> args,
      Map<String, String> env,
      long stdinSize,
      long workspaceSize,
      RunLimits limits,
      List<InputTree> inputs,
      List<String> outputs)
      implements RunMessage {

    /** A SUBMIT that asks for no output trees. */
    public Submit(
        String jobId,
        String nonce,
        String moduleHash,
        long moduleSize,
        List<String> args,
        Map<String, String> env,
        long stdinSize,
        long workspaceSize,
        RunLimits limits,
        List<InputTree> inputs) {
      this(
          jobId,
          nonce,
          moduleHash,
          moduleSize,
          args,
          env,
          stdinSize,
          workspaceSize,
          limits,
          inputs,
          List.of());
    }

    /** A SUBMIT without input trees. */
    public Submit(
        String jobId,
        String nonce,
        String moduleHash,
        long moduleSize,
        List<String> args,
        Map<String, String> env,
        long stdinSize,
        long workspaceSize,
        RunLimits limits) {
      this(
          jobId,
          nonce,
          moduleHash,
          moduleSize,
          args,
          env,
          stdinSize,
          workspaceSize,
          limits,
          List.of(),
          List.of());
    }

    public Submit {
      inputs = List.copyOf(inputs);
      InputTree.checkAll(inputs);
      outputs = List.copyOf(outputs);
      InputTree.checkOutputs(outputs);
      if (!inputs.isEmpty() && workspaceSize != 0) {
        throw new ProtocolException("SUBMIT has both inputs and workspace_size; send one");
      }
      requireJobId(jobId, "SUBMIT.job_id");
      if (nonce == null || !NONCE.matcher(nonce).matches()) {
        throw new ProtocolException("SUBMIT.nonce must be 32..128 lowercase hex (16..64 bytes)");
      }
      JobOffer.requireMatch(
          moduleHash, StrictFields.MODULE_HASH, "SUBMIT.module_hash", "sha256:<64 lowercase hex>");
      requireSize(moduleSize, 1, "SUBMIT.module_size");
      requireSize(stdinSize, 0, "SUBMIT.stdin_size");
      requireSize(workspaceSize, 0, "SUBMIT.workspace_size");
      Objects.requireNonNull(limits, "limits");
      args = List.copyOf(args);
      if (args.size() > MAX_ARGS) {
        throw new ProtocolException("SUBMIT.args has more than " + MAX_ARGS + " entries");
      }
      for (String arg : args) {
        JsonFields.READ.checkText(arg, "SUBMIT.args[]", 0, MAX_ARG_CHARS);
      }
      if (env.size() > MAX_ENV) {
        throw new ProtocolException("SUBMIT.env has more than " + MAX_ENV + " entries");
      }
      TreeMap<String, String> sorted = new TreeMap<>();
      for (Map.Entry<String, String> e : env.entrySet()) {
        String name =
            JsonFields.READ.checkText(e.getKey(), "SUBMIT.env name", 1, MAX_ENV_NAME_CHARS);
        if (name.indexOf('=') >= 0) {
          throw new ProtocolException(
              "SUBMIT.env name \"" + PrintableText.printable(name) + "\" contains '='");
        }
        sorted.put(
            name, JsonFields.READ.checkText(e.getValue(), "SUBMIT.env value", 0, MAX_ARG_CHARS));
      }
      env = Collections.unmodifiableMap(sorted);
    }

    @Override
    public Type type() {
      return Type.SUBMIT;
    }
  }

  /** Client: the next chunk of the module (only after NEED_MODULE). */
  record ModuleData(Bytes data) implements RunMessage {
    public ModuleData {
      requireChunk(data, "MODULE_DATA");
    }

    /** A message holding a copy of {@code data}. */
    public ModuleData(byte[] data) {
      this(Bytes.copyOf(Objects.requireNonNull(data, "data")));
    }

    @Override
    public Type type() {
      return Type.MODULE_DATA;
    }
  }

  /** Client: the next chunk of the guest's standard input. */
  record StdinData(Bytes data) implements RunMessage {
    public StdinData {
      requireChunk(data, "STDIN_DATA");
    }

    /** A message holding a copy of {@code data}. */
    public StdinData(byte[] data) {
      this(Bytes.copyOf(Objects.requireNonNull(data, "data")));
    }

    @Override
    public Type type() {
      return Type.STDIN_DATA;
    }
  }

  /**
   * Client: the next chunk of the workspace archive ({@link
   * io.phase.core.workspace.WorkspaceArchive}).
   */
  record WorkspaceData(Bytes data) implements RunMessage {
    public WorkspaceData {
      requireChunk(data, "WORKSPACE_DATA");
    }

    /** A message holding a copy of {@code data}. */
    public WorkspaceData(byte[] data) {
      this(Bytes.copyOf(Objects.requireNonNull(data, "data")));
    }

    @Override
    public Type type() {
      return Type.WORKSPACE_DATA;
    }
  }

  /** Client: stop the job. The worker answers with RESULT (outcome cancelled) or ERROR. */
  record Cancel(String jobId) implements RunMessage {
    public Cancel {
      requireJobId(jobId, "CANCEL.job_id");
    }

    @Override
    public Type type() {
      return Type.CANCEL;
    }
  }

  /** Client, first frame of a new stream: follow a job's output from sequence number fromSeq. */
  record Attach(String jobId, long fromSeq) implements RunMessage {
    public Attach {
      requireJobId(jobId, "ATTACH.job_id");
      if (fromSeq < 0) {
        throw new ProtocolException("ATTACH.from_seq must not be negative");
      }
    }

    @Override
    public Type type() {
      return Type.ATTACH;
    }
  }

  /** Worker: the job is admitted with these effective (server-clamped) limits. */
  record Accepted(String jobId, RunLimits limits) implements RunMessage {
    public Accepted {
      requireJobId(jobId, "ACCEPTED.job_id");
      Objects.requireNonNull(limits, "limits");
    }

    @Override
    public Type type() {
      return Type.ACCEPTED;
    }
  }

  /** Worker: the job is refused; the stream ends. */
  record Rejected(String jobId, RejectReason reason) implements RunMessage {
    public Rejected {
      requireJobId(jobId, "REJECTED.job_id");
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public Type type() {
      return Type.REJECTED;
    }
  }

  /** Worker: send the module's bytes (module_size of them, in MODULE_DATA frames). */
  /**
   * Worker: send this module. {@code missingInputs} (null when the SUBMIT offered no inputs) lists
   * the digests of the offered input trees the worker lacks; their archives follow as
   * WORKSPACE_DATA, in SUBMIT order, each digest once.
   */
  record NeedModule(String moduleHash, List<String> missingInputs) implements RunMessage {
    public NeedModule(String moduleHash) {
      this(moduleHash, null);
    }

    public NeedModule {
      JobOffer.requireMatch(
          moduleHash, StrictFields.MODULE_HASH, "NEED_MODULE.module_hash", "sha256:<64 hex>");
      missingInputs = checkMissing(missingInputs, "NEED_MODULE");
    }

    @Override
    public Type type() {
      return Type.NEED_MODULE;
    }
  }

  /** Worker: I hold this module; do not send it. */
  record HaveModule(String moduleHash, List<String> missingInputs) implements RunMessage {
    public HaveModule(String moduleHash) {
      this(moduleHash, null);
    }

    public HaveModule {
      JobOffer.requireMatch(
          moduleHash, StrictFields.MODULE_HASH, "HAVE_MODULE.module_hash", "sha256:<64 hex>");
      missingInputs = checkMissing(missingInputs, "HAVE_MODULE");
    }

    @Override
    public Type type() {
      return Type.HAVE_MODULE;
    }
  }

  /** Worker: answer to ATTACH; OUTPUT from fromSeq follows, then RESULT. */
  record Attached(String jobId, long fromSeq) implements RunMessage {
    public Attached {
      requireJobId(jobId, "ATTACHED.job_id");
      if (fromSeq < 0) {
        throw new ProtocolException("ATTACHED.from_seq must not be negative");
      }
    }

    @Override
    public Type type() {
      return Type.ATTACHED;
    }
  }

  /** Worker: one output chunk, numbered as the output commitment numbers it. */
  record Output(long seq, OutputKind kind, Bytes data) implements RunMessage {
    /** u64 seq, u8 kind. */
    public static final int HEADER_BYTES = 9;

    public Output {
      if (seq < 0) {
        throw new ProtocolException("OUTPUT.seq must not be negative");
      }
      Objects.requireNonNull(kind, "kind");
      requireChunk(data, "OUTPUT");
    }

    /** An OUTPUT holding a copy of {@code data}. */
    public Output(long seq, OutputKind kind, byte[] data) {
      this(seq, kind, Bytes.copyOf(Objects.requireNonNull(data, "data")));
    }

    @Override
    public Type type() {
      return Type.OUTPUT;
    }
  }

  /**
   * Worker: the next chunk of the output trees the SUBMIT asked for: their workspace archives back
   * to back, in SUBMIT order, after the last OUTPUT and before RESULT, whose receipt gives each
   * tree's size and digest.
   */
  record OutputTreeData(Bytes data) implements RunMessage {
    public OutputTreeData {
      requireChunk(data, "OUTPUT_TREE");
    }

    /** A message holding a copy of {@code data}. */
    public OutputTreeData(byte[] data) {
      this(Bytes.copyOf(Objects.requireNonNull(data, "data")));
    }

    @Override
    public Type type() {
      return Type.OUTPUT_TREE;
    }
  }

  /** Worker: the signed receipt; the job is finished and the stream ends. */
  record Result(SignedReceipt receipt) implements RunMessage {
    public Result {
      Objects.requireNonNull(receipt, "receipt");
    }

    @Override
    public Type type() {
      return Type.RESULT;
    }
  }

  /** Worker: the job or stream failed; the stream ends. */
  record Error(ErrorCode code, String message) implements RunMessage {
    public Error {
      Objects.requireNonNull(code, "code");
      JsonFields.READ.checkText(message, "ERROR.message", 0, MAX_ERROR_CHARS);
    }

    /** An ERROR whose message is cut to the maximum length and stripped of NULs. */
    public static Error of(ErrorCode code, String message) {
      String clean = message == null ? "" : message.replace('\0', '?');
      return new Error(
          code, clean.length() > MAX_ERROR_CHARS ? clean.substring(0, MAX_ERROR_CHARS) : clean);
    }

    @Override
    public Type type() {
      return Type.ERROR;
    }
  }

  private static List<String> checkMissing(List<String> missing, String where) {
    if (missing == null) {
      return null;
    }
    if (missing.size() > InputTree.MAX_INPUTS) {
      throw new ProtocolException(where + ".missing_inputs has more than 16 entries");
    }
    for (String digest : missing) {
      JobOffer.requireMatch(
          digest, StrictFields.MODULE_HASH, where + ".missing_inputs[]", "sha256:<64 hex>");
    }
    return List.copyOf(missing);
  }

  private static void requireJobId(String jobId, String where) {
    if (!JobId.isWellFormed(jobId)) {
      throw new ProtocolException(where + " must be 64 lowercase hex characters");
    }
  }

  private static void requireSize(long size, long min, String where) {
    if (size < min || size > MAX_SIZE) {
      throw new ProtocolException(where + " must be " + min + ".." + MAX_SIZE + ", got " + size);
    }
  }

  private static void requireChunk(Bytes data, String where) {
    Objects.requireNonNull(data, "data");
    if (data.isEmpty() || data.length() > MAX_CHUNK_BYTES) {
      throw new ProtocolException(
          where + " chunk must hold 1.." + MAX_CHUNK_BYTES + " bytes, got " + data.length());
    }
  }
}
