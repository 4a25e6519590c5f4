package io.phase.core.protocol;

import io.phase.core.protocol.RunMessage.Accepted;
import io.phase.core.protocol.RunMessage.Attach;
import io.phase.core.protocol.RunMessage.Attached;
import io.phase.core.protocol.RunMessage.Cancel;
import io.phase.core.protocol.RunMessage.ErrorCode;
import io.phase.core.protocol.RunMessage.HaveModule;
import io.phase.core.protocol.RunMessage.ModuleData;
import io.phase.core.protocol.RunMessage.NeedModule;
import io.phase.core.protocol.RunMessage.Output;
import io.phase.core.protocol.RunMessage.Rejected;
import io.phase.core.protocol.RunMessage.Result;
import io.phase.core.protocol.RunMessage.StdinData;
import io.phase.core.protocol.RunMessage.Submit;
import io.phase.core.protocol.RunMessage.WorkspaceData;
import io.phase.core.receipt.OutputKind;
import io.phase.core.receipt.SignedReceipt;
import io.phase.core.sandbox.ModuleHash;
import io.phase.core.workspace.ArchiveSink;
import io.phase.core.workspace.WorkspaceException;
import io.phase.p2p.bytes.Bytes;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The worker's side of one {@code /phase/job-run/1.0.0} stream, as a state machine over messages:
 * it checks every client message against the state and the declared sizes, collects the module
 * (verified against its hash when the last byte arrives) and stdin, feeds workspace bytes to a
 * {@link ArchiveSink} (an unpacker, or a buffer for the sandbox), and produces the messages the
 * worker may send now. Not thread-safe: one owner drives it. Admission and job execution are the
 * caller's: it calls {@link #accept} or {@link #reject} after SUBMIT, {@link #attached} or {@link
 * #error} after ATTACH.
 */
public final class WorkerRunSession implements AutoCloseable {

  /** Where the stream is. */
  public enum State {
    /** Waiting for SUBMIT or ATTACH. */
    NEW,
    /** SUBMIT received; the caller must accept or reject it. */
    ADMITTING,
    /** ACCEPTED sent; the caller must send NEED_MODULE or HAVE_MODULE. */
    MODULE_DECISION,
    /** Receiving module (if needed), stdin, then workspace bytes. */
    RECEIVING,
    /** Inputs complete (see {@link #module()}, {@link #stdin()}); sending OUTPUT, then RESULT. */
    RUNNING,
    /** ATTACH received; the caller must answer ATTACHED or ERROR. */
    ATTACHING,
    /** ATTACHED sent; replaying and streaming OUTPUT, then RESULT. */
    STREAMING,
    /** Ended: REJECTED, RESULT or ERROR sent, or the client broke the protocol. */
    DONE
  }

  private State state = State.NEW;
  private Submit submit;
  private String jobId;
  private RunLimits limits;
  private ArchiveSink workspace;
  private ByteArrayOutputStream module;
  private long moduleRemaining;
  private final ByteArrayOutputStream stdin = new ByteArrayOutputStream();
  private long stdinRemaining;
  private long workspaceRemaining;
  private byte[] verifiedModule;
  private long nextSeq;
  private long outputBytes;
  private long outputTreeBytes;
  private boolean cancelRequested;
  private boolean endingSent;

  /** The current state. */
  public State state() {
    return state;
  }

  /** The SUBMIT that started this stream, once received. */
  public Optional<Submit> submit() {
    return Optional.ofNullable(submit);
  }

  /** The job this stream is about, once SUBMIT or ATTACH is received. */
  public Optional<String> jobId() {
    return Optional.ofNullable(jobId);
  }

  /** True once the client sent CANCEL: stop the job and answer RESULT or ERROR. */
  public boolean cancelRequested() {
    return cancelRequested;
  }

  /**
   * Checks one message from the client and advances the state.
   *
   * @throws ProtocolException if it is out of order, contradicts the declared sizes, or completes a
   *     module that does not match its hash ({@link ErrorCode#MODULE_HASH_MISMATCH}) or a bad
   *     workspace archive ({@link ErrorCode#BAD_WORKSPACE}); the session is then DONE and the
   *     caller should send {@link #error(ProtocolException)}'s frame
   */
  public void onMessage(RunMessage message) {
    if (state == State.DONE) {
      throw new ProtocolException("unexpected " + message.type() + " after the stream ended");
    }
    try {
      receive(message);
    } catch (ProtocolException e) {
      abandon();
      throw e;
    }
  }

  private void receive(RunMessage message) {
    if (message instanceof Cancel c) {
      if (state != State.MODULE_DECISION
          && state != State.RECEIVING
          && state != State.RUNNING
          && state != State.STREAMING) {
        throw unexpected(message);
      }
      if (!c.jobId().equals(jobId)) {
        throw new ProtocolException("CANCEL names another job");
      }
      if (cancelRequested) {
        throw new ProtocolException("CANCEL sent twice");
      }
      cancelRequested = true;
      return;
    }
    switch (state) {
      case NEW -> {
        if (message instanceof Submit s) {
          submit = s;
          jobId = s.jobId();
          state = State.ADMITTING;
        } else if (message instanceof Attach a) {
          jobId = a.jobId();
          nextSeq = a.fromSeq();
          state = State.ATTACHING;
        } else {
          throw unexpected(message);
        }
      }
      case RECEIVING -> {
        if (cancelRequested) {
          throw new ProtocolException(message.type() + " after CANCEL");
        }
        if (message instanceof ModuleData m) {
          moduleData(m.data().unsafeArray());
        } else if (message instanceof StdinData d) {
          stdinData(d.data().unsafeArray());
        } else if (message instanceof WorkspaceData w) {
          workspaceData(w.data().unsafeArray());
        } else {
          throw unexpected(message);
        }
        if (moduleRemaining == 0 && stdinRemaining == 0 && workspaceRemaining == 0) {
          state = State.RUNNING;
        }
      }
      default -> throw unexpected(message);
    }
  }

  private void moduleData(byte[] data) {
    if (module == null || moduleRemaining == 0) {
      throw new ProtocolException(
          module == null
              ? "MODULE_DATA but the worker said HAVE_MODULE"
              : "MODULE_DATA beyond module_size " + submit.moduleSize());
    }
    if (data.length > moduleRemaining) {
      throw new ProtocolException("MODULE_DATA beyond module_size " + submit.moduleSize());
    }
    module.writeBytes(data);
    moduleRemaining -= data.length;
    if (moduleRemaining == 0) {
      byte[] bytes = module.toByteArray();
      module = null;
      if (!ModuleHash.of(bytes).equals(submit.moduleHash())) {
        throw new ProtocolException(
            ErrorCode.MODULE_HASH_MISMATCH,
            "the module's bytes do not hash to " + submit.moduleHash());
      }
      verifiedModule = bytes;
    }
  }

  private void stdinData(byte[] data) {
    if (moduleRemaining > 0) {
      throw new ProtocolException("STDIN_DATA before the module is complete");
    }
    if (data.length > stdinRemaining) {
      throw new ProtocolException("STDIN_DATA beyond stdin_size " + submit.stdinSize());
    }
    stdin.writeBytes(data);
    stdinRemaining -= data.length;
  }

  private void workspaceData(byte[] data) {
    if (moduleRemaining > 0 || stdinRemaining > 0) {
      throw new ProtocolException("WORKSPACE_DATA before the module and stdin are complete");
    }
    if (data.length > workspaceRemaining) {
      throw new ProtocolException(
          "WORKSPACE_DATA beyond workspace_size and the missing inputs' sizes");
    }
    workspaceRemaining -= data.length;
    try {
      workspace.accept(data);
      if (workspaceRemaining == 0) {
        workspace.finish();
      }
    } catch (WorkspaceException e) {
      throw new ProtocolException(ErrorCode.BAD_WORKSPACE, e.getMessage());
    }
  }

  /**
   * Admits the job: returns the ACCEPTED to send.
   *
   * @param effective the limits the worker will enforce (already clamped by policy)
   * @param workspaceTarget where the workspace archive goes; required exactly when the SUBMIT
   *     declared a non-empty workspace. The session closes it.
   */
  public Accepted accept(RunLimits effective, ArchiveSink workspaceTarget) {
    require(State.ADMITTING, "accept");
    if (!submit.inputs().isEmpty() && workspaceTarget != null) {
      throw new IllegalArgumentException("input trees get their target with the module decision");
    }
    if ((submit.workspaceSize() > 0) != (workspaceTarget != null)) {
      throw new IllegalArgumentException(
          "a workspace target is required exactly when workspace_size > 0");
    }
    limits = effective;
    workspace = workspaceTarget;
    state = State.MODULE_DECISION;
    return new Accepted(jobId, effective);
  }

  /** Refuses the job: returns the REJECTED to send; the stream ends. */
  public Rejected reject(RejectReason reason) {
    require(State.ADMITTING, "reject");
    finish();
    return new Rejected(jobId, reason);
  }

  /** Asks for the module's bytes: returns the NEED_MODULE to send. */
  public NeedModule needModule() {
    return needModule(null, null);
  }

  /**
   * Asks for the module's bytes and the input trees this worker lacks.
   *
   * @param missingInputs null exactly when the SUBMIT offered no inputs; otherwise the offered
   *     digests the worker lacks, each once
   * @param inputsTarget receives the missing trees' archives back to back (SUBMIT order, each
   *     digest once); required exactly when something is missing. The session closes it.
   */
  public NeedModule needModule(List<String> missingInputs, ArchiveSink inputsTarget) {
    require(State.MODULE_DECISION, "ask for the module");
    long inputBytes = missingBytes(missingInputs, inputsTarget);
    module = new ByteArrayOutputStream((int) Math.min(submit.moduleSize(), 1 << 20));
    moduleRemaining = submit.moduleSize();
    startReceiving(inputBytes);
    return new NeedModule(submit.moduleHash(), missingInputs);
  }

  /**
   * The archive bytes the missing inputs add up to, in the order they travel; checks the arguments
   * and takes the target.
   */
  private long missingBytes(List<String> missing, ArchiveSink target) {
    if ((missing == null) != submit.inputs().isEmpty()) {
      throw new IllegalArgumentException(
          "missing inputs must be given exactly when the SUBMIT offered inputs");
    }
    long total = 0;
    if (missing != null) {
      for (String digest : missing) {
        if (missing.indexOf(digest) != missing.lastIndexOf(digest)) {
          throw new IllegalArgumentException("input " + digest + " listed twice");
        }
        if (submit.inputs().stream().noneMatch(t -> t.digest().equals(digest))) {
          throw new IllegalArgumentException("input " + digest + " was not offered");
        }
      }
      for (InputTree tree : travelling(submit.inputs(), missing)) {
        total += tree.size();
      }
    }
    if ((total > 0) != (target != null)) {
      throw new IllegalArgumentException(
          "an inputs target is required exactly when inputs are missing");
    }
    if (target != null) {
      workspace = target;
    }
    return total;
  }

  /**
   * The offered trees whose archives travel: those whose digest is in {@code missing}, in SUBMIT
   * order, the first of each digest only.
   */
  public static List<InputTree> travelling(List<InputTree> offered, List<String> missing) {
    List<InputTree> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (InputTree tree : offered) {
      if (missing.contains(tree.digest()) && seen.add(tree.digest())) {
        out.add(tree);
      }
    }
    return out;
  }

  /**
   * Says the module is held: returns the HAVE_MODULE to send.
   *
   * @param heldModule the held module's bytes; must hash to the SUBMIT's module_hash
   */
  public HaveModule haveModule(byte[] heldModule) {
    return haveModule(heldModule, null, null);
  }

  /** Says the module is held and asks for the input trees this worker lacks (see needModule). */
  public HaveModule haveModule(
      byte[] heldModule, List<String> missingInputs, ArchiveSink inputsTarget) {
    require(State.MODULE_DECISION, "claim the module");
    if (!ModuleHash.of(heldModule).equals(submit.moduleHash())) {
      throw new IllegalArgumentException("the held module does not hash to the submitted hash");
    }
    long inputBytes = missingBytes(missingInputs, inputsTarget);
    verifiedModule = heldModule;
    startReceiving(inputBytes);
    return new HaveModule(submit.moduleHash(), missingInputs);
  }

  private void startReceiving(long inputBytes) {
    stdinRemaining = submit.stdinSize();
    workspaceRemaining = submit.workspaceSize() + inputBytes;
    state =
        moduleRemaining == 0 && stdinRemaining == 0 && workspaceRemaining == 0
            ? State.RUNNING
            : State.RECEIVING;
  }

  /** Answers ATTACH: returns the ATTACHED to send; OUTPUT from the requested seq follows. */
  public Attached attached() {
    require(State.ATTACHING, "confirm the attach");
    state = State.STREAMING;
    return new Attached(jobId, nextSeq);
  }

  /** The verified module, once inputs are complete. */
  public byte[] module() {
    requireInputs();
    return verifiedModule;
  }

  /** The guest's standard input, once inputs are complete. */
  public byte[] stdin() {
    requireInputs();
    return stdin.toByteArray();
  }

  /** The effective limits sent in ACCEPTED. */
  public RunLimits limits() {
    if (limits == null) {
      throw new IllegalStateException("the job has not been accepted");
    }
    return limits;
  }

  /**
   * The next OUTPUT to send: chunks must be sent in commitment order, each exactly once, and within
   * the output cap.
   */
  public Output output(long seq, OutputKind kind, byte[] data) {
    if (state != State.RUNNING && state != State.STREAMING) {
      throw new IllegalStateException("cannot send OUTPUT in state " + state);
    }
    if (seq != nextSeq) {
      throw new IllegalStateException("OUTPUT seq " + seq + " but the next is " + nextSeq);
    }
    if (outputTreeBytes > 0) {
      throw new IllegalStateException("OUTPUT after OUTPUT_TREE");
    }
    if (limits != null && outputBytes + data.length > limits.maxOutputBytes()) {
      throw new IllegalStateException("OUTPUT beyond the job's output cap");
    }
    Output message = new Output(seq, kind, Bytes.wrapOwned(data));
    outputBytes += data.length;
    nextSeq++;
    return message;
  }

  /**
   * The next OUTPUT_TREE chunk to send: after the last OUTPUT, before RESULT, only on a stream
   * whose SUBMIT asked for output trees (or an attach stream, whose SUBMIT this session did not
   * see).
   */
  public RunMessage.OutputTreeData outputTree(byte[] data) {
    if (state != State.RUNNING && state != State.STREAMING) {
      throw new IllegalStateException("cannot send OUTPUT_TREE in state " + state);
    }
    if (submit != null && submit.outputs().isEmpty()) {
      throw new IllegalStateException("the SUBMIT asked for no output trees");
    }
    RunMessage.OutputTreeData message = new RunMessage.OutputTreeData(Bytes.wrapOwned(data));
    outputTreeBytes += data.length;
    return message;
  }

  /** The RESULT to send; every output chunk the receipt covers must have been sent. */
  public Result result(SignedReceipt receipt) {
    if (state != State.RUNNING && state != State.STREAMING) {
      throw new IllegalStateException("cannot send RESULT in state " + state);
    }
    if (!receipt.jobId().equals(jobId)) {
      throw new IllegalArgumentException("the receipt is for another job");
    }
    if (receipt.result().output().chunks() != nextSeq) {
      throw new IllegalStateException(
          "the receipt covers "
              + receipt.result().output().chunks()
              + " chunks but "
              + nextSeq
              + " were sent");
    }
    long treeBytes = 0;
    for (var tree : receipt.result().outputs()) {
      treeBytes += tree.size();
    }
    if (treeBytes != outputTreeBytes) {
      throw new IllegalStateException(
          "the receipt's output trees hold "
              + treeBytes
              + " bytes but "
              + outputTreeBytes
              + " were sent");
    }
    finish();
    return new Result(receipt);
  }

  /**
   * An ERROR to send; the stream ends. Allowed in any state until REJECTED, RESULT or ERROR was
   * sent, including after {@link #onMessage} refused a message.
   */
  public RunMessage.Error error(ErrorCode code, String message) {
    finish();
    return RunMessage.Error.of(code, message);
  }

  /** The ERROR that reports a protocol failure. */
  public RunMessage.Error error(ProtocolException failure) {
    return error(failure.code(), failure.getMessage());
  }

  /** Releases the workspace sink, if any. */
  @Override
  public void close() {
    if (workspace != null) {
      workspace.close();
    }
  }

  private void finish() {
    if (endingSent) {
      throw new IllegalStateException("the stream has already ended");
    }
    endingSent = true;
    abandon();
  }

  private void abandon() {
    state = State.DONE;
    module = null;
    close();
  }

  private void requireInputs() {
    if (verifiedModule == null
        || moduleRemaining != 0
        || stdinRemaining != 0
        || workspaceRemaining != 0) {
      throw new IllegalStateException("inputs are not complete");
    }
  }

  private void require(State expected, String what) {
    if (state != expected) {
      throw new IllegalStateException("cannot " + what + " in state " + state);
    }
  }

  private ProtocolException unexpected(RunMessage message) {
    return new ProtocolException(
        "unexpected " + message.type() + " from the client in state " + state);
  }
}
