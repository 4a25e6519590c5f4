package io.phase.core.step;

import io.phase.core.client.JobOutcome;
import java.util.Objects;
import java.util.Optional;

/**
 * How a step ended: its {@link ExitStatus} (the guest's exit code when it exited), a one-line
 * message when it did not succeed, and the verified outcome when a receipt came back.
 */
public record StepResult(int status, String message, Optional<JobOutcome> outcome) {

  public StepResult {
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(outcome, "outcome");
  }

  /** A step that failed before or without a verified receipt. */
  public static StepResult failed(int status, String message) {
    return new StepResult(status, message, Optional.empty());
  }

  /** True when the guest exited with status 0 and its receipt verified. */
  public boolean succeeded() {
    return status == 0 && outcome.isPresent();
  }
}
