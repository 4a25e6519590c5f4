package io.phase.core.client;

import io.netty.channel.Channel;
import io.phase.core.client.JobFailedException.Kind;
import io.phase.core.protocol.ClientRunSession;
import io.phase.core.protocol.InputTree;
import io.phase.core.protocol.ProtocolException;
import io.phase.core.protocol.RunMessage;
import io.phase.core.protocol.RunMessage.Sender;
import io.phase.core.protocol.netty.InboundThrottle;
import io.phase.core.protocol.netty.RunFrameHandler;
import io.phase.core.protocol.netty.RunStreamListener;
import io.phase.core.receipt.Expectations;
import io.phase.core.receipt.OutputChunk;
import io.phase.core.receipt.OutputCommitment;
import io.phase.core.receipt.ReceiptVerifier;
import io.phase.core.receipt.Verification;
import io.phase.core.receipt.WasmResult;
import io.phase.p2p.host.Connection;
import io.phase.p2p.peer.PeerId;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * One {@code /phase/job-run/1.0.0} stream from the client: SUBMIT and upload (module only if the
 * worker asks), or ATTACH; then output into the commitment and to {@code sink}; then the receipt,
 * verified (signature, signer = the dispatched worker, job id, module hash, commitment over exactly
 * the chunks received, chunk count and byte totals) before the future completes. Session logic runs
 * on a serial executor, never on the event loop; inbound is throttled with auto-read.
 */
final class RunAttempt implements RunStreamListener {

  private final PeerId worker;
  private final String jobId;
  private final String moduleHash;
  private final Executor serial;
  private final OutputCommitment commitment;
  private final Consumer<OutputChunk> sink;
  private final ClientRunSession session = new ClientRunSession();
  private final CompletableFuture<JobOutcome> result = new CompletableFuture<>();
  private final InboundThrottle inbound = new InboundThrottle(() -> this.channel);
  private volatile Channel channel;
  private byte[] module;
  private byte[] stdin;
  private byte[] workspace;

  /** The input trees offered, which the receipt must name; null when unknown (not checked). */
  private List<PackedInput> inputs;

  /** Output-tree archives received, back to back (bounded by the session's budget). */
  private final java.io.ByteArrayOutputStream treeBytes = new java.io.ByteArrayOutputStream();

  private final List<byte[]> uploads = new java.util.ArrayList<>();
  private int uploadIndex;
  private long moduleSent;
  private long stdinSent;
  private long workspaceSent;
  private boolean cancelRequested;
  private UploadProgress progress = UploadProgress.none();
  private boolean planned;
  private java.util.concurrent.atomic.AtomicLong bytesSent =
      new java.util.concurrent.atomic.AtomicLong();
  private long inputBytesSent;

  private RunAttempt(
      PeerId worker,
      String jobId,
      String moduleHash,
      Executor serial,
      OutputCommitment commitment,
      Consumer<OutputChunk> sink) {
    this.worker = worker;
    this.jobId = jobId;
    this.moduleHash = moduleHash;
    this.serial = serial;
    this.commitment = commitment;
    this.sink = sink;
  }

  /** Submits a job and uploads its inputs. */
  static RunAttempt submit(
      Connection connection,
      RunMessage.Submit submit,
      byte[] module,
      byte[] stdin,
      byte[] workspace,
      List<PackedInput> inputs,
      java.util.concurrent.atomic.AtomicLong bytesSent,
      Executor serial,
      OutputCommitment commitment,
      Consumer<OutputChunk> sink,
      UploadProgress progress) {
    RunAttempt a =
        new RunAttempt(
            connection.remotePeer(), submit.jobId(), submit.moduleHash(), serial, commitment, sink);
    a.progress = progress;
    a.module = module;
    a.stdin = stdin;
    a.workspace = workspace;
    a.inputs = List.copyOf(inputs);
    a.bytesSent = bytesSent;
    a.open(connection, () -> a.send(a.session.submit(submit, JobSpec.MAX_OUTPUT_TREE_BYTES)));
    return a;
  }

  /** Follows a job from {@code commitment.chunkCount()}. */
  static RunAttempt attach(
      Connection connection,
      String jobId,
      String moduleHash,
      long maxOutputBytes,
      List<PackedInput> expectedInputs,
      List<String> expectedOutputs,
      Executor serial,
      OutputCommitment commitment,
      Consumer<OutputChunk> sink) {
    RunAttempt a =
        new RunAttempt(connection.remotePeer(), jobId, moduleHash, serial, commitment, sink);
    a.inputs = expectedInputs == null ? null : List.copyOf(expectedInputs);
    a.open(
        connection,
        () ->
            a.send(
                a.session.attach(
                    new RunMessage.Attach(jobId, commitment.chunkCount()),
                    maxOutputBytes,
                    expectedOutputs,
                    JobSpec.MAX_OUTPUT_TREE_BYTES)));
    return a;
  }

  private void open(Connection connection, Runnable first) {
    connection
        .newStream(
            s -> s.channel().pipeline().addLast(new RunFrameHandler(Sender.WORKER, this)),
            RunMessage.PROTOCOL_ID)
        .whenComplete(
            (stream, error) -> {
              if (error != null) {
                fail(
                    JobFailedException.of(
                        Kind.CONNECTION_LOST, worker, "cannot open a job stream: " + error, error));
                return;
              }
              channel = stream.channel();
              serial.execute(
                  () -> {
                    if (result.isDone()) {
                      channel.close();
                      return;
                    }
                    first.run();
                    channel.flush();
                  });
            });
    result.whenComplete(
        (r, e) -> {
          Channel ch = channel;
          if (ch != null) {
            ch.close();
          }
        });
  }

  CompletableFuture<JobOutcome> result() {
    return result;
  }

  /** True if the job was running on the worker when the stream broke: it may be reattached. */
  boolean reattachable() {
    return session.uploadComplete() || session.state() == ClientRunSession.State.RUNNING;
  }

  /** Asks the worker to stop the job (CANCEL), or drops the stream if the job is not admitted. */
  void cancel() {
    serial.execute(
        () -> {
          cancelRequested = true;
          ClientRunSession.State s = session.state();
          if (channel != null
              && (s == ClientRunSession.State.AWAIT_MODULE_DECISION
                  || s == ClientRunSession.State.UPLOADING
                  || s == ClientRunSession.State.RUNNING)) {
            send(session.cancel());
            channel.flush();
          } else {
            fail(JobFailedException.of(Kind.CANCELLED, worker, "cancelled", null));
          }
        });
  }

  // ---- from the event loop ----

  @Override
  public void onMessage(RunMessage message) {
    long size =
        message instanceof RunMessage.Output o
            ? o.data().length()
            : message instanceof RunMessage.OutputTreeData t ? t.data().length() : 0;
    inbound.execute(serial, size, () -> handle(message));
  }

  @Override
  public void onProtocolError(ProtocolException failure) {
    serial.execute(
        () -> fail(JobFailedException.of(Kind.PROTOCOL, worker, failure.getMessage(), failure)));
  }

  @Override
  public void onInputEnded() {
    serial.execute(
        () ->
            fail(
                JobFailedException.of(
                    Kind.CONNECTION_LOST, worker, "the worker ended the stream early", null)));
  }

  @Override
  public void onWritable() {
    serial.execute(this::upload);
  }

  @Override
  public void onClosed() {
    serial.execute(
        () ->
            fail(
                JobFailedException.of(
                    Kind.CONNECTION_LOST, worker, "the job stream closed", null)));
  }

  // ---- serial ----

  private void handle(RunMessage message) {
    if (result.isDone()) {
      return;
    }
    try {
      session.onMessage(message);
    } catch (ProtocolException e) {
      fail(JobFailedException.of(Kind.PROTOCOL, worker, e.getMessage(), e));
      return;
    }
    if (message instanceof RunMessage.OutputTreeData t) {
      treeBytes.writeBytes(t.data().unsafeArray());
      return;
    }
    if (message instanceof RunMessage.Output o) {
      byte[] data = o.data().unsafeArray();
      OutputChunk chunk = new OutputChunk(o.seq(), o.kind(), data);
      sink.accept(chunk);
      commitment.append(o.kind(), data, 0, data.length);
      return;
    }
    if (message instanceof RunMessage.Rejected r) {
      fail(JobFailedException.rejected(worker, r.reason()));
    } else if (message instanceof RunMessage.Error e) {
      fail(JobFailedException.workerError(worker, e.code(), e.message()));
    } else if (message instanceof RunMessage.Result r) {
      verify(r);
    } else if (session.state() == ClientRunSession.State.UPLOADING
        || message instanceof RunMessage.NeedModule
        || message instanceof RunMessage.HaveModule) {
      planUploads();
      upload();
    } else if (session.state() == ClientRunSession.State.RUNNING && !cancelRequested) {
      progress.complete(); // the worker held the module and there was nothing else to send
    }
  }

  private void verify(RunMessage.Result r) {
    Expectations.Builder expected =
        Expectations.builder()
            .worker(worker)
            .jobId(jobId)
            .moduleHash(moduleHash)
            .output(commitment.summary());
    if (inputs != null) {
      expected.inputs(
          inputs.stream()
              .map(
                  i ->
                      new WasmResult.Input(i.tree().path(), i.tree().digest(), i.tree().readOnly()))
              .toList());
    }
    Verification v = ReceiptVerifier.verify(r.receipt(), expected.build());
    if (!v.isOk()) {
      fail(JobFailedException.unverified(worker, v));
      return;
    }
    List<ReturnedTree> trees = new java.util.ArrayList<>();
    byte[] all = treeBytes.toByteArray();
    int offset = 0;
    for (WasmResult.OutputTree tree : r.receipt().result().outputs()) {
      // the session checked that the sizes add up to the bytes received
      byte[] archive = Arrays.copyOfRange(all, offset, offset + (int) tree.size());
      offset += (int) tree.size();
      String digest;
      try {
        digest =
            io.phase.core.workspace.WorkspaceUnpacker.digestOf(
                archive, JobSpec.MAX_OUTPUT_TREE_BYTES, JobSpec.MAX_OUTPUT_TREE_ENTRIES);
      } catch (io.phase.core.workspace.WorkspaceException e) {
        fail(
            JobFailedException.unverified(
                worker,
                Verification.fail(
                    Verification.Reason.OUTPUT_TREE_MISMATCH,
                    "output " + tree.path() + " refused: " + e.getMessage())));
        return;
      }
      if (!digest.equals(tree.digest())) {
        fail(
            JobFailedException.unverified(
                worker,
                Verification.fail(
                    Verification.Reason.OUTPUT_TREE_MISMATCH,
                    "output "
                        + tree.path()
                        + ": the tree received is "
                        + digest
                        + ", not the receipt's "
                        + tree.digest())));
        return;
      }
      trees.add(new ReturnedTree(tree.path(), tree.digest(), archive));
    }
    result.complete(new JobOutcome(jobId, worker, r.receipt(), trees));
  }

  private void upload() {
    Channel ch = channel;
    if (result.isDone() || ch == null || cancelRequested) {
      return;
    }
    if (session.state() == ClientRunSession.State.UPLOADING) {
      progress.start(session.moduleRemaining() + moduleSent + stdin.length + workspace.length);
    }
    while (session.state() == ClientRunSession.State.UPLOADING && ch.isWritable()) {
      if (session.moduleRemaining() > 0) {
        byte[] part = slice(module, moduleSent);
        moduleSent += part.length;
        send(session.moduleData(part));
      } else if (stdinSent < stdin.length) {
        byte[] part = slice(stdin, stdinSent);
        stdinSent += part.length;
        send(session.stdinData(part));
      } else if (uploadIndex < uploads.size()) {
        byte[] current = uploads.get(uploadIndex);
        byte[] part = slice(current, workspaceSent);
        workspaceSent += part.length;
        inputBytesSent += part.length;
        if (workspaceSent == current.length) {
          uploadIndex++;
          workspaceSent = 0;
        }
        send(session.workspaceData(part));
      } else {
        break;
      }
    }
    ch.flush();
    progress.sent(moduleSent + stdinSent + workspaceSent);
    if (session.state() == ClientRunSession.State.RUNNING) {
      progress.complete();
    }
  }

  /** Once the worker has said what it lacks: the workspace, then the missing input archives. */
  private void planUploads() {
    if (planned) {
      return;
    }
    planned = true;
    if (workspace.length > 0) {
      uploads.add(workspace);
    }
    for (InputTree tree : session.travellingInputs()) {
      for (PackedInput input : inputs) {
        if (input.tree().equals(tree)) {
          uploads.add(input.archive());
          break;
        }
      }
    }
  }

  /** Workspace and input-tree bytes sent on this stream. */
  long inputBytesSent() {
    return inputBytesSent;
  }

  private static byte[] slice(byte[] all, long from) {
    int start = (int) from;
    return Arrays.copyOfRange(
        all, start, start + Math.min(RunMessage.MAX_CHUNK_BYTES, all.length - start));
  }

  private void send(RunMessage message) {
    if (message instanceof RunMessage.ModuleData d) {
      bytesSent.addAndGet(d.data().length());
    } else if (message instanceof RunMessage.StdinData d) {
      bytesSent.addAndGet(d.data().length());
    } else if (message instanceof RunMessage.WorkspaceData d) {
      bytesSent.addAndGet(d.data().length());
    }
    RunFrameHandler.write(channel, message);
  }

  private void fail(JobFailedException e) {
    result.completeExceptionally(e);
  }
}
