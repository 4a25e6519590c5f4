package hudson.security;

/**
 * Compile-only stub of {@code hudson.security.AccessControlled} (Jenkins 2.555.3 core);
 * declarations match the real API, bodies throw.
 */
public interface AccessControlled {
  ACL getACL();

  default void checkPermission(Permission permission)
      throws org.springframework.security.access.AccessDeniedException {
    throw new UnsupportedOperationException("compile-only stub");
  }

  default boolean hasPermission(Permission permission) {
    throw new UnsupportedOperationException("compile-only stub");
  }
}
