package hudson.model;

/**
 * Compile-only stub of {@code hudson.model.Saveable} (Jenkins 2.555.3 core); declarations match the
 * real API, bodies throw.
 */
public interface Saveable {
  Saveable NOOP = null;

  void save() throws java.io.IOException;
}
