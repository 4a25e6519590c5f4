package io.phase.core.exec;

import io.phase.core.identity.NodeKey;
import io.phase.core.receipt.ReceiptSigner;
import io.phase.core.receipt.SignedReceipt;
import io.phase.core.sandbox.OutputListener;
import io.phase.core.sandbox.Sandbox;
import io.phase.core.sandbox.SandboxRequest;
import io.phase.core.sandbox.SandboxRun;
import io.phase.p2p.text.PrintableText;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs jobs in this process's sandbox and signs a receipt for each with the node key. The same path
 * serves {@code phase exec} and, later, the worker.
 */
public final class LocalExecutor {
  private static final Logger LOG = LoggerFactory.getLogger(LocalExecutor.class);

  private final Sandbox sandbox;
  private final NodeKey key;
  private final Clock clock;

  public LocalExecutor(Sandbox sandbox, NodeKey key) {
    this(sandbox, key, Clock.systemUTC());
  }

  LocalExecutor(Sandbox sandbox, NodeKey key, Clock clock) {
    this.sandbox = sandbox;
    this.key = key;
    this.clock = clock;
  }

  public LocalJob start(SandboxRequest request, OutputListener listener) {
    return start(JobId.random(), request, listener);
  }

  public LocalJob start(String jobId, SandboxRequest request, OutputListener listener) {
    return start(jobId, request, java.util.List.of(), listener);
  }

  /** Runs {@code request}; the receipt binds {@code inputs}, the trees it mounts. */
  public LocalJob start(
      String jobId,
      SandboxRequest request,
      java.util.List<io.phase.core.receipt.WasmResult.Input> inputs,
      OutputListener listener) {
    return start(jobId, request, inputs, result -> java.util.List.of(), listener);
  }

  /**
   * Runs {@code request}; the receipt binds {@code inputs} and the output trees {@code outputs}
   * returns for the finished run (called before signing, off the caller's thread; if it throws, the
   * report fails with that exception and nothing is signed).
   */
  public LocalJob start(
      String jobId,
      SandboxRequest request,
      java.util.List<io.phase.core.receipt.WasmResult.Input> inputs,
      java.util.function.Function<
              io.phase.core.sandbox.SandboxResult,
              java.util.List<io.phase.core.receipt.WasmResult.OutputTree>>
          outputs,
      OutputListener listener) {
    if (!JobId.isWellFormed(jobId)) {
      throw new IllegalArgumentException("job id must be 64 lowercase hex digits");
    }
    LOG.info("job_start job={} program={}", jobId, PrintableText.token(request.programName()));
    SandboxRun run = sandbox.submit(request, listener);
    CompletableFuture<ExecutionReport> report =
        run.result()
            .thenApply(
                result -> {
                  var trees = outputs.apply(result);
                  SignedReceipt receipt =
                      ReceiptSigner.sign(
                          key,
                          ResultMapper.toWasmResult(jobId, result, key.peerId(), inputs, trees),
                          clock.instant());
                  LOG.info(
                      "job_end job={} module={} outcome={} wall_ms={} output_bytes={}",
                      jobId,
                      result.moduleHash(),
                      result.outcome().kind().wireName(),
                      result.wallTime().toMillis(),
                      result.output().stdoutBytes() + result.output().stderrBytes());
                  return new ExecutionReport(jobId, result, receipt);
                });
    return new LocalJob(jobId, run, report);
  }
}
