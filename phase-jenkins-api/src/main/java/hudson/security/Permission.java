package hudson.security;

/**
 * Compile-only stub of {@code hudson.security.Permission} (Jenkins 2.555.3 core); declarations
 * match the real API, bodies throw.
 */
public final class Permission {
  private Permission() {}
}
