package io.phase.core.discovery;

/** Worker details that are malformed, unsigned by the expected peer, or stale. */
public final class WorkerInfoException extends Exception {
  /** With a message saying what is wrong. */
  public WorkerInfoException(String message) {
    super(message);
  }

  /** With a message and the underlying cause. */
  public WorkerInfoException(String message, Throwable cause) {
    super(message, cause);
  }
}
