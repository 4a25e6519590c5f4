package hudson.model;

/**
 * Compile-only stub of {@code hudson.model.Node} (Jenkins 2.555.3 core); declarations match the
 * real API, bodies throw.
 */
public abstract class Node
    implements hudson.ExtensionPoint, hudson.security.AccessControlled, jenkins.util.io.OnMaster {
  public Node() {}
}
