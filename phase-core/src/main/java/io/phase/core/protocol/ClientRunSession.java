package io.phase.core.protocol;

import io.phase.core.protocol.RunMessage.Accepted;
import io.phase.core.protocol.RunMessage.Attach;
import io.phase.core.protocol.RunMessage.Attached;
import io.phase.core.protocol.RunMessage.Cancel;
import io.phase.core.protocol.RunMessage.HaveModule;
import io.phase.core.protocol.RunMessage.ModuleData;
import io.phase.core.protocol.RunMessage.NeedModule;
import io.phase.core.protocol.RunMessage.Output;
import io.phase.core.protocol.RunMessage.Rejected;
import io.phase.core.protocol.RunMessage.Result;
import io.phase.core.protocol.RunMessage.StdinData;
import io.phase.core.protocol.RunMessage.Submit;
import io.phase.core.protocol.RunMessage.WorkspaceData;
import io.phase.p2p.bytes.Bytes;
import java.util.Optional;

/**
 * The client's side of one {@code /phase/job-run/1.0.0} stream, as a state machine over messages:
 * it produces the messages the client may send now and checks every message the worker sends
 * against the state, the job id, the module hash, the output sequence and the output cap. Not
 * thread-safe: one owner drives it. Transport-agnostic: encode what it returns with {@link
 * RunFrameCodec}, feed it what the decoder yields.
 */
public final class ClientRunSession {

  /** Where the stream is. */
  public enum State {
    /** Nothing sent yet. */
    NEW,
    /** SUBMIT sent; waiting for ACCEPTED or REJECTED. */
    AWAIT_ADMISSION,
    /** ACCEPTED; waiting for NEED_MODULE or HAVE_MODULE. */
    AWAIT_MODULE_DECISION,
    /** Sending module (if needed), stdin, then workspace bytes, exactly as declared. */
    UPLOADING,
    /** ATTACH sent; waiting for ATTACHED. */
    AWAIT_ATTACHED,
    /** Inputs sent (or attached); receiving OUTPUT until RESULT. */
    RUNNING,
    /** Ended: REJECTED, RESULT or ERROR received, or the worker broke the protocol. */
    DONE
  }

  private State state = State.NEW;
  private String jobId;
  private String moduleHash;
  private long moduleRemaining;
  private long stdinRemaining;
  private long workspaceRemaining;
  private java.util.List<InputTree> inputs = java.util.List.of();
  private java.util.List<InputTree> travelling = java.util.List.of();
  private long nextSeq;
  private long outputBudget;

  /** The output trees asked for, in order; null when unknown (an attach without them). */
  private java.util.List<String> outputs = java.util.List.of();

  private long outputTreeBudget;
  private long outputTreeBytes;
  private boolean cancelSent;
  private RunMessage ending;

  /** The current state. */
  public State state() {
    return state;
  }

  /** Starts a job that asks for no output trees: returns the SUBMIT to send. */
  public Submit submit(Submit submit) {
    return submit(submit, 0);
  }

  /**
   * Starts a job: returns the SUBMIT to send.
   *
   * @param maxOutputTreeBytes the most output-tree archive bytes (all trees together) this client
   *     takes; more ends the stream with a protocol error
   */
  public Submit submit(Submit submit, long maxOutputTreeBytes) {
    require(State.NEW, "submit");
    outputs = submit.outputs();
    outputTreeBudget = maxOutputTreeBytes;
    jobId = submit.jobId();
    moduleHash = submit.moduleHash();
    moduleRemaining = submit.moduleSize();
    stdinRemaining = submit.stdinSize();
    workspaceRemaining = submit.workspaceSize();
    inputs = submit.inputs();
    outputBudget = submit.limits().maxOutputBytes();
    state = State.AWAIT_ADMISSION;
    return submit;
  }

  /**
   * Follows a running or finished job on a new stream: returns the ATTACH to send.
   *
   * @param maxOutputBytes the most output bytes this client will take on this stream
   */
  public Attach attach(Attach attach, long maxOutputBytes) {
    return attach(attach, maxOutputBytes, java.util.List.of(), 0);
  }

  /**
   * Follows a job on a new stream, expecting the output trees {@code expectedOutputs} (null:
   * unknown, any the receipt names) of at most {@code maxOutputTreeBytes} archive bytes.
   */
  public Attach attach(
      Attach attach,
      long maxOutputBytes,
      java.util.List<String> expectedOutputs,
      long maxOutputTreeBytes) {
    require(State.NEW, "attach");
    outputs = expectedOutputs == null ? null : java.util.List.copyOf(expectedOutputs);
    outputTreeBudget = maxOutputTreeBytes;
    jobId = attach.jobId();
    nextSeq = attach.fromSeq();
    outputBudget = maxOutputBytes;
    state = State.AWAIT_ATTACHED;
    return attach;
  }

  /** The next MODULE_DATA to send (only after NEED_MODULE, before stdin and workspace). */
  public ModuleData moduleData(byte[] chunk) {
    ModuleData message = new ModuleData(Bytes.wrapOwned(chunk));
    requireUpload("MODULE_DATA");
    if (chunk.length > moduleRemaining) {
      throw new IllegalStateException(
          "MODULE_DATA of " + chunk.length + " bytes but only " + moduleRemaining + " remain");
    }
    moduleRemaining -= chunk.length;
    afterUpload();
    return message;
  }

  /** The next STDIN_DATA to send (after the module, before the workspace). */
  public StdinData stdinData(byte[] chunk) {
    StdinData message = new StdinData(Bytes.wrapOwned(chunk));
    requireUpload("STDIN_DATA");
    if (moduleRemaining > 0) {
      throw new IllegalStateException("STDIN_DATA before the module is complete");
    }
    if (chunk.length > stdinRemaining) {
      throw new IllegalStateException(
          "STDIN_DATA of " + chunk.length + " bytes but only " + stdinRemaining + " remain");
    }
    stdinRemaining -= chunk.length;
    afterUpload();
    return message;
  }

  /** The next WORKSPACE_DATA to send (last). */
  public WorkspaceData workspaceData(byte[] chunk) {
    WorkspaceData message = new WorkspaceData(Bytes.wrapOwned(chunk));
    requireUpload("WORKSPACE_DATA");
    if (moduleRemaining > 0 || stdinRemaining > 0) {
      throw new IllegalStateException("WORKSPACE_DATA before the module and stdin are complete");
    }
    if (chunk.length > workspaceRemaining) {
      throw new IllegalStateException(
          "WORKSPACE_DATA of "
              + chunk.length
              + " bytes but only "
              + workspaceRemaining
              + " remain");
    }
    workspaceRemaining -= chunk.length;
    afterUpload();
    return message;
  }

  /** The CANCEL to send; allowed once ACCEPTED or ATTACHED was received, at most once. */
  public Cancel cancel() {
    if (state != State.AWAIT_MODULE_DECISION
        && state != State.UPLOADING
        && state != State.RUNNING) {
      throw new IllegalStateException("cannot cancel in state " + state);
    }
    if (cancelSent) {
      throw new IllegalStateException("CANCEL already sent");
    }
    cancelSent = true;
    return new Cancel(jobId);
  }

  /**
   * Checks one message from the worker against the state and advances it.
   *
   * @throws ProtocolException if the worker sent it out of order or it contradicts the job; the
   *     session is then DONE
   */
  public void onMessage(RunMessage message) {
    try {
      receive(message);
    } catch (ProtocolException e) {
      state = State.DONE;
      throw e;
    }
  }

  private void receive(RunMessage message) {
    if (message instanceof RunMessage.Error) {
      if (state == State.NEW || state == State.DONE) {
        throw unexpected(message);
      }
      end(message);
      return;
    }
    switch (state) {
      case AWAIT_ADMISSION -> {
        if (message instanceof Accepted a) {
          requireJob(a.jobId(), "ACCEPTED");
          outputBudget = Math.min(outputBudget, a.limits().maxOutputBytes());
          state = State.AWAIT_MODULE_DECISION;
        } else if (message instanceof Rejected r) {
          requireJob(r.jobId(), "REJECTED");
          end(message);
        } else {
          throw unexpected(message);
        }
      }
      case AWAIT_MODULE_DECISION -> {
        if (message instanceof NeedModule n) {
          requireModule(n.moduleHash(), "NEED_MODULE");
          missingInputs(n.missingInputs(), "NEED_MODULE");
        } else if (message instanceof HaveModule h) {
          requireModule(h.moduleHash(), "HAVE_MODULE");
          missingInputs(h.missingInputs(), "HAVE_MODULE");
          moduleRemaining = 0;
        } else {
          throw unexpected(message);
        }
        state = State.UPLOADING;
        if (cancelSent) {
          moduleRemaining = stdinRemaining = workspaceRemaining = 0;
        }
        afterUpload();
      }
      case AWAIT_ATTACHED -> {
        if (!(message instanceof Attached a)) {
          throw unexpected(message);
        }
        requireJob(a.jobId(), "ATTACHED");
        if (a.fromSeq() != nextSeq) {
          throw new ProtocolException(
              "ATTACHED.from_seq " + a.fromSeq() + " but ATTACH asked for " + nextSeq);
        }
        state = State.RUNNING;
      }
      case RUNNING -> {
        if (message instanceof RunMessage.OutputTreeData t) {
          if (outputs != null && outputs.isEmpty()) {
            throw new ProtocolException("OUTPUT_TREE but the job asked for no output trees");
          }
          if (t.data().length() > outputTreeBudget - outputTreeBytes) {
            throw new ProtocolException(
                "the worker sent more than the "
                    + outputTreeBudget
                    + " bytes of output trees this client takes");
          }
          outputTreeBytes += t.data().length();
        } else if (message instanceof Output o) {
          if (outputTreeBytes > 0) {
            throw new ProtocolException("OUTPUT after OUTPUT_TREE");
          }
          if (o.seq() != nextSeq) {
            throw new ProtocolException("OUTPUT.seq " + o.seq() + " but expected " + nextSeq);
          }
          if (o.data().length() > outputBudget) {
            throw new ProtocolException("worker sent more output than the limit allows");
          }
          outputBudget -= o.data().length();
          nextSeq++;
        } else if (message instanceof Result r) {
          requireJob(r.receipt().jobId(), "RESULT");
          requireModule(r.receipt().result().moduleHash(), "RESULT");
          long chunks = r.receipt().result().output().chunks();
          if (chunks != nextSeq) {
            throw new ProtocolException(
                "RESULT covers " + chunks + " output chunks but " + nextSeq + " were streamed");
          }
          checkOutputTrees(r.receipt().result());
          end(message);
        } else {
          throw unexpected(message);
        }
      }
      default -> throw unexpected(message);
    }
  }

  /**
   * The receipt must name exactly the output trees asked for, in order (none when the guest never
   * ran: cancelled or an invalid module), and their sizes must add up to the bytes received.
   */
  private void checkOutputTrees(io.phase.core.receipt.WasmResult result) {
    java.util.List<String> named =
        result.outputs().stream().map(io.phase.core.receipt.WasmResult.OutputTree::path).toList();
    boolean neverRan =
        result.outcome() == io.phase.core.receipt.OutcomeKind.CANCELLED
            || result.outcome() == io.phase.core.receipt.OutcomeKind.INVALID_MODULE;
    if (outputs != null && !named.equals(outputs) && !(named.isEmpty() && neverRan)) {
      throw new ProtocolException(
          "RESULT names output trees " + named + " but the job asked for " + outputs);
    }
    long total = 0;
    for (var tree : result.outputs()) {
      total += tree.size();
    }
    if (total != outputTreeBytes) {
      throw new ProtocolException(
          "RESULT's output trees hold "
              + total
              + " bytes but "
              + outputTreeBytes
              + " were received");
    }
  }

  /** Output-tree archive bytes received so far on this stream. */
  public long outputTreeBytes() {
    return outputTreeBytes;
  }

  private void missingInputs(java.util.List<String> missing, String where) {
    if ((missing == null) != inputs.isEmpty()) {
      throw new ProtocolException(
          where
              + (missing == null
                  ? " lacks missing_inputs but the SUBMIT offered inputs"
                  : " has missing_inputs but the SUBMIT offered none"));
    }
    if (missing == null) {
      return;
    }
    for (String digest : missing) {
      if (missing.indexOf(digest) != missing.lastIndexOf(digest)) {
        throw new ProtocolException(where + ".missing_inputs names " + digest + " twice");
      }
      if (inputs.stream().noneMatch(t -> t.digest().equals(digest))) {
        throw new ProtocolException(where + ".missing_inputs names an input not offered");
      }
    }
    travelling = WorkerRunSession.travelling(inputs, missing);
    for (InputTree tree : travelling) {
      workspaceRemaining += tree.size();
    }
  }

  /**
   * The offered input trees the worker asked for, in the order their archives must follow as
   * WORKSPACE_DATA (after the module and stdin); empty until NEED_MODULE or HAVE_MODULE.
   */
  public java.util.List<InputTree> travellingInputs() {
    return travelling;
  }

  /** The next output sequence number expected. */
  public long nextSeq() {
    return nextSeq;
  }

  /** True once every declared input byte has been produced. */
  public boolean uploadComplete() {
    return state == State.RUNNING || (state == State.DONE && ending instanceof Result);
  }

  /** Module bytes still to send (0 if the worker holds the module). */
  public long moduleRemaining() {
    return moduleRemaining;
  }

  /** How the stream ended: REJECTED, RESULT or ERROR; empty while it runs. */
  public Optional<RunMessage> ending() {
    return Optional.ofNullable(ending);
  }

  private void end(RunMessage message) {
    ending = message;
    state = State.DONE;
  }

  private void afterUpload() {
    if (state == State.UPLOADING
        && moduleRemaining == 0
        && stdinRemaining == 0
        && workspaceRemaining == 0) {
      state = State.RUNNING;
    }
  }

  private void requireUpload(String what) {
    if (state != State.UPLOADING) {
      throw new IllegalStateException(what + " cannot be sent in state " + state);
    }
    if (cancelSent) {
      throw new IllegalStateException(what + " cannot be sent after CANCEL");
    }
  }

  private void require(State expected, String what) {
    if (state != expected) {
      throw new IllegalStateException("cannot " + what + " in state " + state);
    }
  }

  private void requireJob(String id, String where) {
    if (!jobId.equals(id)) {
      throw new ProtocolException(where + " names another job");
    }
  }

  private void requireModule(String hash, String where) {
    if (moduleHash != null && !moduleHash.equals(hash)) {
      throw new ProtocolException(where + " names another module");
    }
  }

  private ProtocolException unexpected(RunMessage message) {
    return new ProtocolException(
        "unexpected " + message.type() + " from the worker in state " + state);
  }
}
