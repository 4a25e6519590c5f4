package hudson.security;

/**
 * Compile-only stub of {@code hudson.security.ACL} (Jenkins 2.555.3 core); declarations match the
 * real API, bodies throw.
 */
public abstract class ACL {
  public ACL() {}
}
