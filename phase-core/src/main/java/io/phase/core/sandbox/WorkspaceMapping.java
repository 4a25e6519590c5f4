package io.phase.core.sandbox;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A host directory the guest sees at {@code guestPath}. The sandbox copies it in before the run and
 * the guest's changes back out after, both through {@link WorkspaceCopier}; the guest never touches
 * the host directory itself.
 */
public record WorkspaceMapping(Path hostDir, String guestPath) {

  public WorkspaceMapping {
    Objects.requireNonNull(hostDir, "hostDir");
    checkGuestPath(guestPath);
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

  /** Parses {@code HOST[:GUEST]}; the guest path defaults to {@code /work}. */
  public static WorkspaceMapping parse(String spec) {
    int colon = spec.lastIndexOf(':');
    if (colon > 0 && colon < spec.length() - 1 && spec.charAt(colon + 1) == '/') {
      return new WorkspaceMapping(Path.of(spec.substring(0, colon)), spec.substring(colon + 1));
    }
    return new WorkspaceMapping(Path.of(spec), "/work");
  }
}
