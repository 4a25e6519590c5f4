package io.phase.core.workspace;

/**
 * A mapped directory could not be copied in or out safely; the message says which entry and why.
 */
public final class WorkspaceException extends Exception {
  private static final long serialVersionUID = 1L;

  public WorkspaceException(String message) {
    super(message);
  }

  public WorkspaceException(String message, Throwable cause) {
    super(message, cause);
  }
}
