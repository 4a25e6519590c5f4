package io.phase.core.sandbox;

/**
 * The host failed, not the guest: a bug or a resource problem in the sandbox itself. A run that
 * ends this way completes exceptionally with this exception, so it is never reported (or signed) as
 * a guest trap.
 */
public final class SandboxHostException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SandboxHostException(String message, Throwable cause) {
    super(message, cause);
  }
}
