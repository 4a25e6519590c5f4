package io.phase.core.exec;

import io.phase.core.sandbox.SandboxRun;
import java.util.concurrent.CompletableFuture;

/** A job running in this process: its id, its report when done, and cancel. */
public final class LocalJob {
  private final String jobId;
  private final SandboxRun run;
  private final CompletableFuture<ExecutionReport> report;

  LocalJob(String jobId, SandboxRun run, CompletableFuture<ExecutionReport> report) {
    this.jobId = jobId;
    this.run = run;
    this.report = report;
  }

  public String jobId() {
    return jobId;
  }

  /** Completes with the signed report; exceptionally when the run could not start. */
  public CompletableFuture<ExecutionReport> report() {
    return report;
  }

  public void cancel() {
    run.cancel();
  }
}
