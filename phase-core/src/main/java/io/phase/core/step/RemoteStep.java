package io.phase.core.step;

import io.phase.core.client.HandleState;
import io.phase.core.client.JobEvent;
import io.phase.core.client.JobFailedException;
import io.phase.core.client.JobHandle;
import io.phase.core.client.JobListener;
import io.phase.core.client.JobOutcome;
import io.phase.core.client.PhaseClient;
import io.phase.core.receipt.OutcomeKind;
import io.phase.core.receipt.OutputChunk;
import io.phase.core.receipt.OutputCommitment;
import io.phase.core.receipt.OutputKind;
import io.phase.core.receipt.OutputSummary;
import io.phase.core.receipt.TranscriptWriter;
import io.phase.core.receipt.WasmResult;
import io.phase.p2p.peer.PeerId;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One step dispatched by a {@link StepNode}: the guest's stdout and stderr go to a log as they
 * arrive (already free of duplicates across retries), with {@code phase: …} lines for events, the
 * same lines {@code phase run} prints. Every chunk is appended to the step's transcript before it
 * reaches the log, so after a restart {@link StepNode#resume} follows the job from exactly the
 * output shown: nothing lost, nothing repeated. The verified receipt is written to the step's
 * directory. Owns its {@link PhaseClient}.
 */
public final class RemoteStep {
  private static final Logger LOG = LoggerFactory.getLogger(RemoteStep.class);

  private final StepFiles files;
  private final PrintStream out;
  private final PhaseClient client;
  private final String moduleHash;
  private final long maxOutputBytes;
  private final Consumer<RemoteStep> onEnd;
  private final CompletableFuture<StepResult> result = new CompletableFuture<>();
  private final Object lock = new Object();
  private volatile JobHandle handle;
  private volatile String jobId;
  private volatile PeerId worker;
  private volatile boolean cancelled;

  // Guarded by lock.
  private boolean detached;
  private TranscriptWriter transcript;
  private CountingStream transcriptFile;
  private long pendingChunkStart = -1;
  private IOException transcriptError;

  /** A step that follows the job {@code client} runs; {@code onEnd} hears when it lets go. */
  RemoteStep(
      StepFiles files,
      PrintStream out,
      PhaseClient client,
      String moduleHash,
      long maxOutputBytes,
      Consumer<RemoteStep> onEnd) {
    this.files = files;
    this.out = out;
    this.client = client;
    this.moduleHash = moduleHash;
    this.maxOutputBytes = maxOutputBytes;
    this.onEnd = onEnd;
  }

  /** A step that could not start: its result is already there. */
  static RemoteStep failed(StepFiles files, PrintStream out, StepException e) {
    RemoteStep step = new RemoteStep(files, out, null, "", 0, s -> {});
    step.println(e.getMessage());
    step.result.complete(StepResult.failed(e.status(), e.getMessage()));
    return step;
  }

  /** Submits the job (called once, by the {@link StepNode}). */
  void submit(java.util.function.Function<JobListener, JobHandle> submit) {
    attach(submit.apply(new Listener()));
  }

  /** Ends the step before a job was submitted (e.g. the DHT could not be joined). */
  void abort(StepException e) {
    synchronized (lock) {
      if (detached) {
        return;
      }
      println(e.getMessage());
    }
    end(StepResult.failed(e.status(), e.getMessage()));
  }

  /** Follows the job saved in the step directory (called once, by the {@link StepNode}). */
  void resume(HandleState saved) throws IOException {
    OutputSummary delivered = files.deliveredOutput(saved.maxOutputBytes());
    synchronized (lock) {
      openTranscript(delivered);
    }
    jobId = saved.jobId();
    worker = saved.worker();
    HandleState state =
        new HandleState(
            saved.jobId(),
            saved.worker(),
            saved.addresses(),
            saved.moduleHash(),
            saved.maxOutputBytes(),
            delivered);
    println(
        "resuming job "
            + state.jobId()
            + " on "
            + state.worker()
            + " after "
            + delivered.chunks()
            + " output chunks");
    attach(client.reattach(state, new Listener()));
  }

  private void attach(JobHandle h) {
    handle = h;
    if (cancelled) {
      h.cancel();
    }
    h.outcome().whenComplete(this::finish);
  }

  /** Completes with how the step ended; exceptionally only with a {@link StepDetachedException}. */
  public CompletableFuture<StepResult> result() {
    return result.copy();
  }

  /** Stops the job: the worker ends it with a cancelled receipt (status 130). */
  public void cancel() {
    cancelled = true;
    JobHandle h = handle;
    if (h != null) {
      h.cancel();
    }
  }

  /** The job id of the attempt being followed, once dispatched. */
  public Optional<String> jobId() {
    return Optional.ofNullable(jobId);
  }

  /** The worker of the attempt being followed, once dispatched. */
  public Optional<PeerId> worker() {
    return Optional.ofNullable(worker);
  }

  /** The step's directory (state, transcript, receipt). */
  public StepFiles files() {
    return files;
  }

  /**
   * Lets go of the job without cancelling it: nothing more reaches the log or the transcript, and a
   * chunk written to the transcript but not yet to the log is taken back, so the directory records
   * exactly what was shown. The result completes with a {@link StepDetachedException}.
   */
  void detach() {
    synchronized (lock) {
      if (detached || result.isDone()) {
        return;
      }
      detached = true;
      closeTranscript();
      if (pendingChunkStart >= 0) {
        try (FileChannel ch = FileChannel.open(files.transcript(), StandardOpenOption.WRITE)) {
          ch.truncate(pendingChunkStart);
        } catch (IOException e) {
          LOG.warn("step_detach_truncate_failed dir={} error=\"{}\"", files.dir(), e.getMessage());
        }
        pendingChunkStart = -1;
      }
      out.flush();
    }
    onEnd.accept(this);
    result.completeExceptionally(new StepDetachedException(String.valueOf(jobId)));
    LOG.info("step_detached job={} dir={}", jobId, files.dir());
    closeClient();
  }

  private void finish(JobOutcome outcome, Throwable error) {
    StepResult r;
    synchronized (lock) {
      if (detached) {
        return;
      }
      closeTranscript();
      r = outcome != null ? verified(outcome) : failed(error);
      out.flush();
    }
    LOG.info(
        "step_finished job={} worker={} status={} dir={}", jobId, worker, r.status(), files.dir());
    end(r);
  }

  /**
   * Leaves the node's running steps, completes the result, then closes the client: its close
   * interrupts its threads, this one among them, and what depends on the result (a CI system saving
   * the build) must not run interrupted.
   */
  private void end(StepResult r) {
    onEnd.accept(this);
    result.complete(r);
    closeClient();
  }

  private StepResult verified(JobOutcome outcome) {
    try {
      files.writeReceipt(outcome.receipt().toJson());
    } catch (IOException e) {
      String m = "cannot write the receipt: " + e.getMessage();
      println(m);
      return StepResult.failed(ExitStatus.PHASE_ERROR, m);
    }
    if (transcriptError != null) {
      String m = "cannot write the transcript: " + transcriptError.getMessage();
      println(m);
      return StepResult.failed(ExitStatus.PHASE_ERROR, m);
    }
    WasmResult result = outcome.receipt().result();
    println("receipt verified: job " + outcome.jobId() + " on " + outcome.worker());
    String message = "";
    if (result.outcome() != OutcomeKind.EXITED) {
      message =
          result.outcome().wireName()
              + (result.detail().isEmpty() ? "" : ": " + EventText.printable(result.detail()));
      println(message);
    } else if (result.exitCode().getAsInt() != 0) {
      message = "the guest exited with status " + result.exitCode().getAsInt();
    }
    int status =
        ExitStatus.forOutcome(
            result.outcome(), result.exitCode().isPresent() ? result.exitCode().getAsInt() : null);
    return new StepResult(status, message, Optional.of(outcome));
  }

  private StepResult failed(Throwable error) {
    Throwable cause =
        error instanceof java.util.concurrent.CompletionException && error.getCause() != null
            ? error.getCause()
            : error;
    if (cause instanceof JobFailedException failed) {
      String m = ExitStatus.failureMessage(failed);
      println(m);
      return StepResult.failed(ExitStatus.forFailure(failed.kind()), m);
    }
    String m = "the job failed: " + EventText.printable(String.valueOf(cause));
    println(m);
    return StepResult.failed(ExitStatus.PHASE_ERROR, m);
  }

  private void closeClient() {
    if (client != null) {
      client.close();
    }
  }

  private void println(String line) {
    synchronized (lock) {
      out.println("phase: " + line);
      out.flush();
    }
  }

  // Transcript handling, under lock.

  private void openTranscript(OutputSummary written) throws IOException {
    closeTranscript();
    boolean append = written.chunks() > 0;
    OutputStream file =
        Files.newOutputStream(
            files.transcript(),
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
    transcriptFile = new CountingStream(file, append ? Files.size(files.transcript()) : 0);
    transcript = new TranscriptWriter(transcriptFile, written);
  }

  private void closeTranscript() {
    if (transcript != null) {
      try {
        transcript.close();
      } catch (IOException e) {
        if (transcriptError == null) {
          transcriptError = e;
        }
      }
      transcript = null;
    }
  }

  private final class Listener implements JobListener {
    @Override
    public void onEvent(JobEvent event) {
      synchronized (lock) {
        if (detached) {
          return;
        }
        if (event instanceof JobEvent.Dispatched d) {
          jobId = d.jobId();
          worker = d.worker();
          try {
            openTranscript(new OutputCommitment().summary());
            files.writeState(
                new HandleState(
                    d.jobId(),
                    d.worker(),
                    d.addresses(),
                    moduleHash,
                    maxOutputBytes,
                    new OutputCommitment().summary()));
          } catch (IOException | IllegalArgumentException e) {
            transcriptError = e instanceof IOException io ? io : new IOException(e.getMessage());
            println("cannot record the step for a restart: " + e.getMessage());
          }
        }
        if (!(event instanceof JobEvent.Verified)) {
          println(EventText.describe(event));
        }
      }
    }

    @Override
    public void onChunk(OutputChunk chunk) {
      synchronized (lock) {
        pendingChunkStart = -1;
        if (detached || transcript == null) {
          return;
        }
        try {
          long start = transcriptFile.count();
          transcript.append(chunk.kind(), chunk.data(), 0, chunk.data().length);
          transcript.flush();
          pendingChunkStart = start;
        } catch (IOException e) {
          if (transcriptError == null) {
            transcriptError = e;
            println("cannot write the transcript: " + e.getMessage());
          }
        }
      }
    }

    @Override
    public void onOutput(OutputKind kind, byte[] data) {
      synchronized (lock) {
        if (detached) {
          return;
        }
        pendingChunkStart = -1;
        out.write(data, 0, data.length);
        out.flush();
      }
    }
  }

  /** Counts the bytes written to the transcript, so a chunk can be taken back on detach. */
  private static final class CountingStream extends java.io.FilterOutputStream {
    private long count;

    CountingStream(OutputStream out, long start) {
      super(out);
      this.count = start;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }

    long count() {
      return count;
    }
  }
}
