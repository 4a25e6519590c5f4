package io.phase.core.sandbox;

/** The sandbox is shutting down or its queue is full: the run was not started. */
public final class SandboxBusyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SandboxBusyException(String message) {
    super(message);
  }
}
