package io.phase.core.step;

/** A step that cannot run, with the {@link ExitStatus} and the one line that says why. */
public final class StepException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int status;

  public StepException(int status, String message) {
    super(message);
    this.status = status;
  }

  /** The {@link ExitStatus} this failure maps to. */
  public int status() {
    return status;
  }
}
