package hudson.model;

/**
 * Compile-only stub of {@code hudson.model.Action} (Jenkins 2.555.3 core); declarations match the
 * real API, bodies throw.
 */
public interface Action extends ModelObject {
  String getIconFileName();

  @Override
  String getDisplayName();

  String getUrlName();
}
