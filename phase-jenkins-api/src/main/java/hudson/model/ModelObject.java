package hudson.model;

/**
 * Compile-only stub of {@code hudson.model.ModelObject} (Jenkins 2.555.3 core); declarations match
 * the real API, bodies throw.
 */
public interface ModelObject {
  String getDisplayName();
}
