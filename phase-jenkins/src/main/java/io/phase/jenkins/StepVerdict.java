package io.phase.jenkins;

import io.phase.core.receipt.OutcomeKind;
import io.phase.core.step.ExitStatus;
import io.phase.core.step.StepResult;

/**
 * How a {@code phaseRun} step ends in Pipeline, decided from its {@link StepResult}: success with
 * the status as the step's value, or failure with one line. A status that a guest produced with a
 * verified receipt (its exit code, or trapped, timed out, memory or output limit) fails the step
 * unless {@code returnStatus} is set; a failure without a verified receipt (network, no worker,
 * verification, Phase error, invalid or missing module, cancelled) always fails it.
 *
 * @param success true when the step returns {@code status}
 * @param status the step's status ({@link ExitStatus})
 * @param message the failure's one line, {@code phaseRun <module>: <message> (status N)}; empty on
 *     success
 */
public record StepVerdict(boolean success, int status, String message) {

  /** The verdict on {@code result} of the step that ran {@code module}. */
  public static StepVerdict of(String module, StepResult result, boolean returnStatus) {
    int status = result.status();
    if (result.succeeded()) {
      return new StepVerdict(true, status, "");
    }
    if (returnStatus && guestStatus(result)) {
      return new StepVerdict(true, status, "");
    }
    String what = result.message().isBlank() ? ExitStatus.meaning(status) : result.message();
    return new StepVerdict(false, status, failure(module, what, status));
  }

  /**
   * True when the status is the guest's own doing, under a verified receipt: it exited, trapped,
   * timed out, or hit its memory or output limit (not cancelled, not an invalid module).
   */
  static boolean guestStatus(StepResult result) {
    if (result.outcome().isEmpty()) {
      return false;
    }
    OutcomeKind kind = result.outcome().get().receipt().result().outcome();
    return switch (kind) {
      case EXITED, TRAPPED, TIMED_OUT, MEMORY_LIMIT, OUTPUT_LIMIT -> true;
      case CANCELLED, INVALID_MODULE -> false;
    };
  }

  /** The one line of a failed step. */
  public static String failure(String module, String message, int status) {
    return "phaseRun "
        + PhaseSettings.printable(module)
        + ": "
        + PhaseSettings.printable(message)
        + " (status "
        + status
        + ")";
  }
}
