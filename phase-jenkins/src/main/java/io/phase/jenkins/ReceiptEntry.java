package io.phase.jenkins;

import io.phase.core.receipt.WasmResult;
import io.phase.core.step.StepReceipt;
import io.phase.core.step.StepResult;
import java.io.Serializable;
import java.util.Optional;

/**
 * What a build keeps about one {@code phaseRun} step (persisted with the build by {@link
 * PhaseReceiptsAction}): its number in the build, the module's file name, its status and message,
 * and, when a receipt came back, the job id, worker, module hash, outcome, exit code and the
 * verification at the end of the step. A plain class with settable fields so Jenkins' XStream can
 * read it back.
 */
public final class ReceiptEntry implements Serializable {
  private static final long serialVersionUID = 1L;

  private int step;
  private String module;
  private int status;
  private String message;
  private String jobId;
  private String worker;
  private String moduleHash;
  private String outcome;
  private Integer exitCode;
  private String verification;
  private boolean verified;

  /** An entry for step {@code step} of module {@code module} that ended with {@code result}. */
  public static ReceiptEntry of(
      int step, String module, StepResult result, Optional<StepReceipt> receipt) {
    ReceiptEntry e = new ReceiptEntry();
    e.step = step;
    e.module = PhaseSettings.printable(module);
    e.status = result.status();
    e.message = PhaseSettings.printable(result.message());
    result
        .outcome()
        .ifPresent(
            o -> {
              e.jobId = o.jobId();
              e.worker = o.worker().toBase58();
              WasmResult r = o.receipt().result();
              e.moduleHash = r.moduleHash();
              e.outcome = r.outcome().wireName();
              e.exitCode = r.exitCode().isPresent() ? r.exitCode().getAsInt() : null;
            });
    if (receipt.isPresent()) {
      e.verified = receipt.get().verified();
      e.verification = PhaseSettings.printable(receipt.get().verification().message());
    } else {
      e.verified = false;
      e.verification = result.outcome().isPresent() ? "receipt missing" : "no receipt";
    }
    return e;
  }

  public int getStep() {
    return step;
  }

  public String getModule() {
    return module;
  }

  public int getStatus() {
    return status;
  }

  public String getMessage() {
    return message == null ? "" : message;
  }

  public String getJobId() {
    return jobId;
  }

  public String getWorker() {
    return worker;
  }

  public String getModuleHash() {
    return moduleHash;
  }

  public String getOutcome() {
    return outcome;
  }

  public Integer getExitCode() {
    return exitCode;
  }

  /** The verification at the end of the step, in a few words. */
  public String getVerification() {
    return verification == null ? "" : verification;
  }

  public boolean isVerified() {
    return verified;
  }

  /** True when the step has a receipt to show and download. */
  public boolean hasReceipt() {
    return jobId != null;
  }

  /** The name the receipt is served under: {@code <step>.json}. */
  public String getReceiptName() {
    return ReceiptNames.fileName(step);
  }
}
