package io.phase.core.sandbox;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A host directory the guest sees at {@code guestPath}. The sandbox copies it in before the run
 * and, unless it is read-only, the guest's changes back out after, both through {@link
 * WorkspaceCopier}; the guest never touches the host directory itself. A read-only mapping is never
 * copied back, and every write the guest attempts under it fails with {@code EROFS}.
 */
public record WorkspaceMapping(Path hostDir, String guestPath, boolean readOnly) {

  public WorkspaceMapping {
    Objects.requireNonNull(hostDir, "hostDir");
    checkGuestPath(guestPath);
  }

  /** A read-write mapping. */
  public WorkspaceMapping(Path hostDir, String guestPath) {
    this(hostDir, guestPath, false);
  }

  /** Checks a guest path: absolute, without {@code ..} or NUL, at most 256 characters. */
  static void checkGuestPath(String guestPath) {
    Objects.requireNonNull(guestPath, "guestPath");
    if (!guestPath.startsWith("/") || guestPath.contains("..") || guestPath.contains("\0")) {
      throw new IllegalArgumentException(
          "guest path must be absolute and must not contain '..': " + guestPath);
    }
    if (guestPath.length() > 256) {
      throw new IllegalArgumentException("guest path longer than 256 characters");
    }
  }

  /**
   * Parses {@code HOST[:GUEST[:ro]]} (also {@code HOST[:GUEST[:rw]]}); the guest path defaults to
   * {@code /work}, the access to read-write.
   */
  public static WorkspaceMapping parse(String spec) {
    boolean readOnly = false;
    String rest = spec;
    if (rest.endsWith(":ro") || rest.endsWith(":rw")) {
      readOnly = rest.endsWith(":ro");
      rest = rest.substring(0, rest.length() - 3);
    }
    int colon = rest.lastIndexOf(':');
    if (colon > 0 && colon < rest.length() - 1 && rest.charAt(colon + 1) == '/') {
      return new WorkspaceMapping(
          Path.of(rest.substring(0, colon)), rest.substring(colon + 1), readOnly);
    }
    if (rest.isEmpty()) {
      throw new IllegalArgumentException("expected HOST[:GUEST[:ro]], got '" + spec + "'");
    }
    return new WorkspaceMapping(Path.of(rest), "/work", readOnly);
  }

  /** The guest path without a trailing slash (except for {@code /} itself). */
  static String normalized(String guestPath) {
    String p = guestPath.replaceAll("/+", "/");
    return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
  }

  /**
   * Refuses two guest paths that are equal or nested (one inside the other), with one line naming
   * both.
   */
  public static void checkDisjoint(String a, String b) {
    String x = normalized(a);
    String y = normalized(b);
    if (x.equals(y)) {
      throw new IllegalArgumentException("guest path " + x + " is mounted twice");
    }
    if (inside(x, y) || inside(y, x)) {
      throw new IllegalArgumentException(
          "guest paths " + x + " and " + y + " are nested; mounts must not overlap");
    }
  }

  /** True when {@code path} is {@code dir} or below it. */
  static boolean inside(String path, String dir) {
    String p = normalized(path);
    String d = normalized(dir);
    return p.equals(d) || p.startsWith(d.equals("/") ? "/" : d + "/");
  }
}
