package hudson.model;

/**
 * Compile-only stub of {@code hudson.model.Item} (Jenkins 2.555.3 core); declarations match the
 * real API, bodies throw.
 */
public interface Item extends hudson.security.AccessControlled, jenkins.util.io.OnMaster {
  hudson.security.Permission READ = null;
}
