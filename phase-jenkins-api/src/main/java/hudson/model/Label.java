package hudson.model;

/**
 * Compile-only stub of {@code hudson.model.Label} (Jenkins 2.555.3 core); declarations match the
 * real API, bodies throw.
 */
public abstract class Label extends Actionable {
  protected Label(String name) {
    throw new UnsupportedOperationException("compile-only stub");
  }
}
