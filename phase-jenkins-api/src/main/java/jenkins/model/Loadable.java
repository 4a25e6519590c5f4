package jenkins.model;

/**
 * Compile-only stub of {@code jenkins.model.Loadable} (Jenkins 2.555.3 core); declarations match
 * the real API, bodies throw.
 */
public interface Loadable {
  void load() throws java.io.IOException;
}
