package hudson;

/**
 * Compile-only stub of {@code hudson.AbortException} (Jenkins 2.555.3 core); declarations match the
 * real API, bodies throw.
 */
public class AbortException extends java.io.IOException {
  public AbortException() {}

  public AbortException(String message) {
    super(message);
  }
}
