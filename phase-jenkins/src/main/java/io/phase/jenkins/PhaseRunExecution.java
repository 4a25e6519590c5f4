package io.phase.jenkins;

import hudson.AbortException;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.phase.core.step.RemoteStep;
import io.phase.core.step.StepDetachedException;
import io.phase.core.step.StepException;
import io.phase.core.step.StepNode;
import io.phase.core.step.StepReceipt;
import io.phase.core.step.StepRequest;
import io.phase.core.step.StepResult;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;

/**
 * A running {@code phaseRun} step. {@link #start} returns at once; the step's thread copies the
 * inputs from the workspace to the step directory ({@code <build>/phase/<n>/}) and dispatches them
 * on the controller's node, whose output goes to the build log. Survives a controller restart: only
 * the step directory's path and a few values are saved, and {@link #onResume} follows the job again
 * from that directory. A node restart (the cloud reconfigured) resumes it the same way ({@link
 * PhaseNodeService.Follower}).
 */
public class PhaseRunExecution extends StepExecution implements PhaseNodeService.Follower {
  private static final long serialVersionUID = 1L;

  /** The one line of a step that runs without a Phase cloud. */
  static final String NO_CLOUD = "phaseRun: no Phase cloud is configured (Manage Jenkins → Clouds)";

  /** How long a step waits for the node to be up (at start and after a restart). */
  static final Duration NODE_WAIT = Duration.ofMinutes(2);

  /** How long a stopped step waits for its cancelled job to end before it ends anyway. */
  static final Duration STOP_GRACE = Duration.ofSeconds(30);

  private final String module;
  private final boolean returnStatus;
  private int stepNumber;
  private String stepDir;

  private transient PhaseRunStep step;
  private transient volatile RemoteStep remote;
  private transient volatile PrintStream log;
  private transient volatile Throwable stopCause;
  private transient AtomicBoolean done;

  PhaseRunExecution(StepContext context, PhaseRunStep step) {
    super(context);
    this.step = step;
    this.module = step.getModule() == null ? "" : step.getModule();
    this.returnStatus = step.isReturnStatus();
  }

  private AtomicBoolean done() {
    synchronized (this) {
      if (done == null) {
        done = new AtomicBoolean();
      }
      return done;
    }
  }

  @Override
  public boolean start() throws Exception {
    Run<?, ?> run = getContext().get(Run.class);
    stepNumber = StepDirectories.allocate(run.getRootDir().toPath());
    stepDir = StepDirectories.of(run.getRootDir().toPath(), stepNumber).toString();
    background(this::launch);
    return false;
  }

  private void launch() {
    try {
      if (PhaseCloud.configured().isEmpty()) {
        throw new AbortException(NO_CLOUD);
      }
      PhaseSettings settings;
      try {
        settings = PhaseCloud.configured().get().settings();
      } catch (IllegalArgumentException e) {
        throw new AbortException(
            "phaseRun: the Phase cloud's configuration is invalid: " + PhaseSettings.oneLine(e));
      }
      StepContext context = getContext();
      log = context.get(TaskListener.class).getLogger();
      FilePath workspace = context.get(FilePath.class);
      String modulePath;
      String dirPath;
      try {
        modulePath = WorkspacePath.resolve(module, "module", false);
        dirPath = step.getDir() == null ? null : WorkspacePath.resolve(step.getDir(), "dir", true);
      } catch (IllegalArgumentException e) {
        throw new AbortException("phaseRun: " + e.getMessage());
      }
      Path dir = Paths.get(stepDir);
      Path inputs = dir.resolve(StepDirectories.INPUTS);
      AgentInputs copied = AgentInputs.copy(workspace, module, modulePath, dirPath, inputs);
      StepRequest request;
      try {
        request =
            StepRequest.builder(copied.module())
                .args(step.getArgs())
                .env(step.getEnv())
                .workspace(copied.workspace().orElse(null))
                .memoryMb(step.getMemoryMb())
                .timeoutSeconds(step.getTimeoutS())
                .maxOutputMb(step.getMaxOutputMb())
                .worker(step.getWorker())
                .retries(step.getRetries())
                .build(settings.defaults());
      } catch (StepException e) {
        throw new AbortException(StepVerdict.failure(module, e.getMessage(), e.status()));
      }
      if (stopCause != null) {
        deleteInputs();
        return;
      }
      RemoteStep started =
          PhaseNodeService.get().withNode(NODE_WAIT, this, node -> node.run(request, dir, log));
      EventLog.fine("phase_step.dispatched", "dir", stepDir, "module", module);
      follow(started);
    } catch (Exception e) {
      deleteInputs();
      fail(e);
    }
  }

  /** Waits for {@code started}'s result; a stop requested meanwhile cancels it. */
  private void follow(RemoteStep started) {
    remote = started;
    if (stopCause != null) {
      started.cancel();
    }
    started
        .result()
        .whenComplete((result, error) -> background(() -> ended(started, result, error)));
  }

  private void ended(RemoteStep which, StepResult result, Throwable error) {
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof StepDetachedException) {
      // The node was closed: a new node (or Pipeline after a restart) follows the step again.
      return;
    }
    if (which != remote) {
      return;
    }
    PhaseNodeService.get().unregister(this);
    deleteInputs();
    if (cause != null) {
      fail(cause);
      return;
    }
    record(result);
    if (stopCause != null) {
      finish(false, 0, stopCause);
      return;
    }
    StepVerdict verdict = StepVerdict.of(module, result, returnStatus);
    if (verdict.success()) {
      finish(true, verdict.status(), null);
    } else {
      finish(false, 0, new AbortException(verdict.message()));
    }
  }

  private void record(StepResult result) {
    try {
      Run<?, ?> run = getContext().get(Run.class);
      Optional<StepReceipt> receipt = Optional.empty();
      try {
        receipt = StepReceipt.read(Paths.get(stepDir));
      } catch (IOException e) {
        EventLog.warn("phase_step.receipt_unreadable", "dir", stepDir, "error", e.getMessage());
      }
      PhaseReceiptsAction.record(
          run, ReceiptEntry.of(stepNumber, WorkspacePath.fileName(module), result, receipt));
    } catch (IOException | InterruptedException | RuntimeException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      EventLog.warn("phase_step.record_failed", "dir", stepDir, "error", e);
    }
  }

  @Override
  public void stop(Throwable cause) throws Exception {
    stopCause = cause;
    RemoteStep current = remote;
    if (current == null) {
      finish(false, 0, cause);
      return;
    }
    current.cancel();
    PhaseExecutors.timer()
        .schedule(() -> finish(false, 0, cause), STOP_GRACE.toSeconds(), TimeUnit.SECONDS);
  }

  @Override
  public void onResume() {
    background(
        () -> {
          try {
            if (stepDir == null) {
              throw new AbortException("phaseRun " + module + ": the step never started");
            }
            if (PhaseCloud.configured().isEmpty()) {
              throw new AbortException(NO_CLOUD);
            }
            log = getContext().get(TaskListener.class).getLogger();
            Path dir = Paths.get(stepDir);
            follow(PhaseNodeService.get().withNode(NODE_WAIT, this, node -> node.resume(dir, log)));
          } catch (Exception e) {
            fail(e);
          }
        });
  }

  @Override
  public String getStatus() {
    RemoteStep current = remote;
    if (current == null) {
      return "preparing " + module;
    }
    return "running "
        + module
        + current.jobId().map(j -> " as job " + j).orElse("")
        + current.worker().map(w -> " on " + w).orElse("");
  }

  // PhaseNodeService.Follower

  @Override
  public void reattach(StepNode node) {
    if (done().get() || stepDir == null) {
      return;
    }
    PrintStream out = log;
    if (out == null) {
      return;
    }
    follow(node.resume(Paths.get(stepDir), out));
  }

  @Override
  public void cancelForRemoval() {
    RemoteStep current = remote;
    if (current != null) {
      current.cancel();
    }
  }

  @Override
  public void nodeGone(String reason) {
    fail(new AbortException("phaseRun " + PhaseSettings.printable(module) + ": " + reason));
  }

  // Ending the step, exactly once.

  private void fail(Throwable error) {
    Throwable shown = error;
    if (!(error instanceof AbortException) && !(error instanceof InterruptedException)) {
      shown =
          new AbortException(
              "phaseRun "
                  + PhaseSettings.printable(module)
                  + ": "
                  + PhaseSettings.printable(String.valueOf(error.getMessage())));
    }
    PhaseNodeService.get().unregister(this);
    finish(false, 0, shown);
  }

  private void finish(boolean success, int status, Throwable error) {
    if (!done().compareAndSet(false, true)) {
      return;
    }
    PhaseNodeService.get().unregister(this);
    if (success) {
      getContext().onSuccess(status);
    } else {
      getContext().onFailure(error);
    }
  }

  private void deleteInputs() {
    if (stepDir == null) {
      return;
    }
    try {
      StepDirectories.deleteTree(Paths.get(stepDir).resolve(StepDirectories.INPUTS));
    } catch (IOException e) {
      EventLog.warn("phase_step.inputs_not_deleted", "dir", stepDir, "error", e.getMessage());
    }
  }

  /** Runs {@code task} on the plugin's step pool; a full pool fails the step at once. */
  private void background(Runnable task) {
    try {
      PhaseExecutors.steps().execute(task);
    } catch (RejectedExecutionException e) {
      fail(new AbortException("phaseRun: too many Phase steps are starting at once; try again"));
    }
  }
}
