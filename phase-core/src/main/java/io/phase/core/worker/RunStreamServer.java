package io.phase.core.worker;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.phase.core.concurrent.SerialExecutor;
import io.phase.core.exec.LocalJob;
import io.phase.core.protocol.InputTree;
import io.phase.core.protocol.ProtocolException;
import io.phase.core.protocol.RejectReason;
import io.phase.core.protocol.RunLimits;
import io.phase.core.protocol.RunMessage;
import io.phase.core.protocol.RunMessage.ErrorCode;
import io.phase.core.protocol.WorkerRunSession;
import io.phase.core.protocol.netty.InboundThrottle;
import io.phase.core.protocol.netty.RunFrameHandler;
import io.phase.core.protocol.netty.RunStreamListener;
import io.phase.core.receipt.OutputChunk;
import io.phase.core.receipt.WasmResult;
import io.phase.core.sandbox.SandboxBusyException;
import io.phase.core.sandbox.SandboxHostException;
import io.phase.core.sandbox.SandboxLimits;
import io.phase.core.sandbox.SandboxRequest;
import io.phase.core.sandbox.WorkspaceSource;
import io.phase.core.workspace.ArchiveBuffer;
import io.phase.core.workspace.WorkspaceException;
import io.phase.p2p.bytes.Bytes;
import io.phase.p2p.peer.PeerId;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's side of one {@code /phase/job-run/1.0.0} stream. Frames are decoded on the event
 * loop; everything else (admission, module decision, starting the job, streaming output from the
 * job's buffer while the stream is writable) runs on a {@link SerialExecutor}, so the event loop
 * never waits. Inbound data is throttled by turning auto-read off while too much is queued.
 */
final class RunStreamServer implements RunStreamListener, JobRecord.Follower {
  private static final Logger LOG = LoggerFactory.getLogger(RunStreamServer.class);
  static final String GUEST_WORKSPACE = "/work";

  private final WorkerService service;
  private final Channel channel;
  private final PeerId peer;
  private final SerialExecutor serial;
  private final WorkerRunSession session = new WorkerRunSession();
  private final InboundThrottle inbound;

  private Admission.Ticket ticket;
  private ArchiveBuffer archive;
  private InputsSink inputsSink;
  private final java.util.Map<String, byte[]> heldInputs = new java.util.HashMap<>();
  private boolean moduleUploaded;
  private boolean started;
  private boolean ended;
  private JobRecord job;
  private long cursor;
  private long treeCursor;

  RunStreamServer(WorkerService service, Channel channel, PeerId peer) {
    this.service = service;
    this.channel = channel;
    this.inbound = new InboundThrottle(() -> channel);
    this.peer = peer;
    this.serial = new SerialExecutor(service.control());
  }

  // ---- event loop side: hand everything to the serial executor ----

  @Override
  public void onMessage(RunMessage message) {
    long size = dataSize(message);
    inbound.execute(serial, size, () -> handle(message));
  }

  @Override
  public void onProtocolError(ProtocolException failure) {
    serial.execute(() -> fail(failure));
  }

  @Override
  public void onInputEnded() {
    serial.execute(
        () -> {
          if (!ended && !started && job == null) {
            fail(new ProtocolException("the client ended the stream before the job started"));
          }
        });
  }

  @Override
  public void onWritable() {
    serial.execute(this::pump);
  }

  @Override
  public void onClosed() {
    serial.execute(this::closed);
  }

  @Override
  public void wake() {
    serial.execute(this::pump);
  }

  @Override
  public void drop(String reason) {
    serial.execute(
        () -> {
          LOG.info("job_stream_dropped job={} peer={} reason=\"{}\"", jobId(), peer, reason);
          ended = true;
          channel.close();
        });
  }

  // ---- serial side ----

  private void handle(RunMessage message) {
    if (ended) {
      return;
    }
    try {
      session.onMessage(message);
    } catch (ProtocolException e) {
      fail(e);
      return;
    }
    if (message instanceof RunMessage.Cancel) {
      LOG.info("job_cancel_requested job={} peer={}", jobId(), peer);
      if (job != null) {
        job.cancel();
      } else {
        end(session.error(ErrorCode.CANCELLED, "cancelled before it started"), "cancelled");
      }
      return;
    }
    switch (session.state()) {
      case ADMITTING -> admit(session.submit().orElseThrow());
      case ATTACHING -> attach((RunMessage.Attach) message);
      case RUNNING -> {
        if (!started) {
          start();
        }
      }
      default -> {}
    }
  }

  private void admit(RunMessage.Submit submit) {
    if (submit.workspaceSize() > 0 && submit.workspaceSize() < 6) {
      end(
          session.reject(new RejectReason.InvalidRequest("workspace_size is too small")),
          "rejected");
      return;
    }
    for (String output : submit.outputs()) {
      boolean inside =
          submit.inputs().stream().anyMatch(t -> within(output, t.path()))
              || submit.workspaceSize() > 0 && within(output, GUEST_WORKSPACE);
      if (!inside) {
        end(
            session.reject(
                new RejectReason.InvalidRequest(
                    "output " + output + " is not inside any mounted input tree")),
            "rejected");
        return;
      }
    }
    RejectReason tooLarge = inputsTooLarge(submit);
    if (tooLarge != null) {
      end(session.reject(tooLarge), "rejected");
      return;
    }
    Admission.Decision decision = service.admission().submit(peer, submit);
    if (decision instanceof Admission.Refused refused) {
      end(session.reject(refused.reason()), "rejected");
      return;
    }
    ticket = (Admission.Ticket) decision;
    archive = submit.workspaceSize() > 0 ? new ArchiveBuffer(submit.workspaceSize()) : null;
    send(session.accept(ticket.limits(), archive));
    List<String> missing = submit.inputs().isEmpty() ? null : missingInputs(submit);
    if (missing != null && !missing.isEmpty()) {
      WorkerPolicy policy = service.config().policy();
      inputsSink =
          new InputsSink(
              WorkerRunSession.travelling(submit.inputs(), missing),
              service.inputs(),
              policy.maxWorkspaceBytes(),
              policy.maxWorkspaceEntries());
    }
    Optional<byte[]> held = service.modules().get(submit.moduleHash());
    if (held.isPresent()) {
      send(session.haveModule(held.get(), missing, inputsSink));
    } else {
      moduleUploaded = true;
      send(session.needModule(missing, inputsSink));
    }
    channel.flush();
    LOG.info(
        "job_accepted job={} peer={} module={} cached={} inputs={} inputs_missing={}",
        submit.jobId(),
        peer,
        submit.moduleHash(),
        held.isPresent(),
        submit.inputs().size(),
        missing == null ? 0 : missing.size());
    if (session.state() == WorkerRunSession.State.RUNNING) {
      start();
    }
  }

  private static boolean within(String path, String mount) {
    return path.equals(mount) || mount.equals("/") || path.startsWith(mount + "/");
  }

  /** The offered input digests this worker does not hold (checked on read), each once. */
  private List<String> missingInputs(RunMessage.Submit submit) {
    List<String> missing = new java.util.ArrayList<>();
    for (InputTree tree : submit.inputs()) {
      String digest = tree.digest();
      if (heldInputs.containsKey(digest) || missing.contains(digest)) {
        continue;
      }
      // Only an archive of the size the client stated (which the caps were checked against).
      Optional<byte[]> stored = service.inputs().get(digest, tree.size());
      if (stored.isPresent()) {
        heldInputs.put(digest, stored.get());
      } else {
        missing.add(digest);
      }
    }
    return missing;
  }

  /** Refuses inputs whose archives could not be held; null if they fit. */
  private RejectReason inputsTooLarge(RunMessage.Submit submit) {
    WorkerPolicy policy = service.config().policy();
    // An archive holds its file bytes plus at most 1 + 2 + 1024 + 2 + 8 header bytes per entry.
    long cap = policy.maxWorkspaceBytes() + 1037L * policy.maxWorkspaceEntries() + 6;
    long total = 0;
    for (InputTree tree : submit.inputs()) {
      if (tree.size() >= Integer.MAX_VALUE - 64) {
        return new RejectReason.InsufficientResources("workspace_size");
      }
      total += tree.size();
    }
    return total > cap ? new RejectReason.InsufficientResources("workspace_size") : null;
  }

  private void start() {
    started = true;
    RunMessage.Submit submit = session.submit().orElseThrow();
    byte[] module = session.module();
    if (moduleUploaded) {
      service.modules().put(submit.moduleHash(), module);
    }
    WorkerConfig config = service.config();
    JobRecord record =
        new JobRecord(
            submit.jobId(),
            peer,
            submit.moduleHash(),
            System.currentTimeMillis(),
            ticket,
            config.replayBufferBytes(),
            config.outputHighWater(),
            // output sent but perhaps not received: half the buffer covers a Phase client's
            // largest stream window (PhaseClient.HOST_LIMITS) and what is queued behind it
            config.replayBufferBytes() / 2);
    service.registry().register(record);
    job = record;
    cursor = 0;
    record.follow(this, 0);
    RunLimits limits = session.limits();
    WorkerPolicy policy = config.policy();
    SandboxLimits sandboxLimits =
        new SandboxLimits(
            limits.memoryMb(),
            Duration.ofMillis(limits.timeoutMs()),
            limits.maxOutputBytes(),
            policy.maxModuleBytes(),
            policy.maxWorkspaceBytes(),
            policy.maxWorkspaceEntries());
    List<WorkspaceSource> mounts = new java.util.ArrayList<>();
    List<WasmResult.Input> inputs = new java.util.ArrayList<>();
    if (archive != null) {
      mounts.add(new WorkspaceSource.Archive(archive.bytes(), GUEST_WORKSPACE));
    }
    if (inputsSink != null) {
      heldInputs.putAll(inputsSink.received());
    }
    for (InputTree tree : submit.inputs()) {
      mounts.add(
          new WorkspaceSource.Archive(heldInputs.get(tree.digest()), tree.path(), tree.readOnly()));
      inputs.add(new WasmResult.Input(tree.path(), tree.digest(), tree.readOnly()));
    }
    OutputTreePacker packer =
        submit.outputs().isEmpty()
            ? null
            : new OutputTreePacker(
                submit.outputs(), policy.maxWorkspaceBytes(), policy.maxWorkspaceEntries());
    LOG.info("job_started job={} peer={}", submit.jobId(), peer);
    LocalJob local;
    try {
      SandboxRequest request =
          new SandboxRequest(
              module,
              "module.wasm",
              submit.args(),
              submit.env(),
              session.stdin(),
              mounts,
              packer == null ? List.of() : packer.mappings(),
              sandboxLimits);
      local =
          packer == null
              ? service.executor().start(submit.jobId(), request, inputs, record::onOutput)
              : service
                  .executor()
                  .start(submit.jobId(), request, inputs, packer::pack, record::onOutput);
    } catch (RuntimeException e) {
      if (packer != null) {
        packer.close();
      }
      LOG.error("job_start_failed job={} error={}", submit.jobId(), e.toString(), e);
      service
          .registry()
          .finished(record, new JobRecord.Failure(ErrorCode.INTERNAL, "worker failed"));
      return;
    }
    record.started(local);
    local
        .report()
        .whenComplete(
            (report, error) -> {
              JobRecord.Terminal end =
                  error == null
                      ? new JobRecord.Receipt(
                          report.receipt(), packer == null ? new byte[0] : packer.archives())
                      : failure(error);
              if (packer != null) {
                if (error == null) {
                  LOG.info(
                      "job_output_trees job={} peer={} trees={} archive_bytes={}",
                      submit.jobId(),
                      peer,
                      report.receipt().result().outputs().size(),
                      packer.archives().length);
                }
                packer.close();
              }
              LOG.info(
                  "job_finished job={} peer={} outcome={}",
                  submit.jobId(),
                  peer,
                  error == null
                      ? report.receipt().result().outcome().wireName()
                      : ((JobRecord.Failure) end).code().wireName());
              service.registry().finished(record, end);
            });
  }

  private static JobRecord.Failure failure(Throwable error) {
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof WorkspaceException w) {
      return new JobRecord.Failure(ErrorCode.BAD_WORKSPACE, w.getMessage());
    }
    if (cause instanceof SandboxBusyException b) {
      return new JobRecord.Failure(ErrorCode.INTERNAL, "worker busy: " + b.getMessage());
    }
    if (cause instanceof SandboxHostException h) {
      return new JobRecord.Failure(ErrorCode.INTERNAL, "worker failed: " + h.getMessage());
    }
    return new JobRecord.Failure(ErrorCode.INTERNAL, "worker failed");
  }

  private void attach(RunMessage.Attach attach) {
    JobRegistry.Lookup lookup = service.registry().lookup(attach.jobId(), peer);
    if (lookup instanceof JobRegistry.Unknown) {
      end(session.error(ErrorCode.UNKNOWN_JOB, "no such job on this worker"), "unknown_job");
      return;
    }
    if (lookup instanceof JobRegistry.Forbidden) {
      LOG.warn("job_attach_forbidden job={} peer={}", attach.jobId(), peer);
      end(session.error(ErrorCode.FORBIDDEN, "only the submitter may attach"), "forbidden");
      return;
    }
    JobRecord record = ((JobRegistry.Found) lookup).job();
    switch (record.follow(this, attach.fromSeq())) {
      case REPLAY_UNAVAILABLE ->
          end(
              session.error(
                  ErrorCode.REPLAY_UNAVAILABLE,
                  "output before from_seq " + attach.fromSeq() + " is no longer held"),
              "replay_unavailable");
      case BEYOND_OUTPUT ->
          end(session.error(ErrorCode.PROTOCOL, "from_seq is beyond the job's output"), "protocol");
      case OK -> {
        job = record;
        started = true;
        cursor = attach.fromSeq();
        send(session.attached());
        channel.flush();
        LOG.info("job_attached job={} peer={} from_seq={}", attach.jobId(), peer, cursor);
        pump();
      }
    }
  }

  private void pump() {
    if (ended || job == null) {
      return;
    }
    DishonestWorker dishonest = service.dishonest();
    while (channel.isWritable()) {
      OutputChunk chunk = job.chunkAt(cursor);
      if (chunk == JobRecord.EVICTED) {
        end(
            session.error(ErrorCode.REPLAY_UNAVAILABLE, "the stream fell behind the replay buffer"),
            "replay_unavailable");
        return;
      }
      if (chunk == null) {
        JobRecord.Terminal end = job.terminal();
        if (end != null && cursor == job.nextSeq()) {
          if (end instanceof JobRecord.Receipt r && treeCursor < r.outputTrees().length) {
            sendTreeChunk(r.outputTrees(), dishonest);
            continue;
          }
          finishStream(end, dishonest);
        }
        break;
      }
      RunMessage.Output honest = session.output(chunk.seq(), chunk.kind(), chunk.data());
      RunMessage out =
          dishonest == null
              ? honest
              : new RunMessage.Output(
                  chunk.seq(),
                  chunk.kind(),
                  Bytes.wrapOwned(dishonest.output(chunk.seq(), chunk.kind(), chunk.data())));
      RunFrameHandler.write(channel, out);
      cursor++;
      job.sent(this, cursor, chunk.data().length);
    }
    channel.flush();
  }

  /** The next OUTPUT_TREE chunk, after every output chunk and before RESULT. */
  private void sendTreeChunk(byte[] trees, DishonestWorker dishonest) {
    int from = (int) treeCursor;
    int n = Math.min(RunMessage.MAX_CHUNK_BYTES, trees.length - from);
    byte[] part = java.util.Arrays.copyOfRange(trees, from, from + n);
    RunMessage honest = session.outputTree(part);
    RunMessage out =
        dishonest == null
            ? honest
            : new RunMessage.OutputTreeData(dishonest.outputTree(treeCursor, part));
    RunFrameHandler.write(channel, out);
    treeCursor += n;
  }

  private void finishStream(JobRecord.Terminal end, DishonestWorker dishonest) {
    if (end instanceof JobRecord.Receipt r) {
      RunMessage.Result honest = session.result(r.receipt());
      RunMessage out =
          dishonest == null ? honest : new RunMessage.Result(dishonest.receipt(r.receipt()));
      end(out, "result");
    } else {
      JobRecord.Failure f = (JobRecord.Failure) end;
      end(session.error(f.code(), f.message()), f.code().wireName());
    }
  }

  private void fail(ProtocolException failure) {
    if (ended) {
      return;
    }
    LOG.info(
        "job_protocol_error job={} peer={} reason=\"{}\"", jobId(), peer, failure.getMessage());
    end(session.error(failure), failure.code().wireName());
  }

  /** Sends the stream's last message and closes it once written. */
  private void end(RunMessage last, String outcome) {
    ended = true;
    RunFrameHandler.writeAndFlush(channel, last).addListener(ChannelFutureListener.CLOSE);
    LOG.info("job_stream_end job={} peer={} outcome={}", jobId(), peer, outcome);
    releaseIfNotStarted();
    if (job != null) {
      service.registry().unfollowed(job, this);
    }
  }

  private void closed() {
    ended = true;
    session.close();
    releaseIfNotStarted();
    if (job != null) {
      service.registry().unfollowed(job, this);
    }
  }

  private void releaseIfNotStarted() {
    if (ticket != null && !started) {
      ticket.close();
    }
  }

  private void send(RunMessage message) {
    RunFrameHandler.write(channel, message);
  }

  private String jobId() {
    return session.jobId().orElse("-");
  }

  private static long dataSize(RunMessage m) {
    if (m instanceof RunMessage.ModuleData d) {
      return d.data().length();
    }
    if (m instanceof RunMessage.StdinData d) {
      return d.data().length();
    }
    if (m instanceof RunMessage.WorkspaceData d) {
      return d.data().length();
    }
    return 0;
  }
}
