package hudson.model;

/**
 * Compile-only stub of {@code hudson.model.Actionable} (Jenkins 2.555.3 core); declarations match
 * the real API, bodies throw.
 */
public abstract class Actionable {
  public Actionable() {}

  public void addAction(Action a) {
    throw new UnsupportedOperationException("compile-only stub");
  }

  public <T extends Action> T getAction(Class<T> type) {
    throw new UnsupportedOperationException("compile-only stub");
  }
}
