package org.jvnet.hudson.reactor;

/**
 * Compile-only stub of {@code org.jvnet.hudson.reactor.ReactorException} (task-reactor (not on
 * Maven Central; outside signatures.txt)); declarations match the real API, bodies throw.
 */
public class ReactorException extends Exception {
  private static final long serialVersionUID = 1L;

  public ReactorException(Throwable cause) {
    super(cause);
  }
}
