package io.phase.jenkins;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A path a Pipeline step names inside the build's workspace ({@code module}, {@code dir}):
 * relative, with {@code /} or {@code \} separators, never leaving the workspace. {@link #resolve}
 * gives the normalised relative form to hand to {@code FilePath.child}, or refuses the path with
 * one line.
 */
public final class WorkspacePath {
  /** The longest path accepted, in characters. */
  public static final int MAX_CHARS = 4096;

  private WorkspacePath() {}

  /**
   * The normalised relative path ({@code a/b/c}; {@code ""} for the workspace itself) of {@code
   * path}.
   *
   * @param what what the path is, for the message ({@code module}, {@code dir})
   * @throws IllegalArgumentException if the path is blank (unless {@code allowRoot}), absolute,
   *     leaves the workspace through {@code ..}, or holds a control character
   */
  public static String resolve(String path, String what, boolean allowRoot) {
    if (path == null || path.isBlank()) {
      if (allowRoot) {
        return "";
      }
      throw new IllegalArgumentException(what + " must not be empty");
    }
    if (path.length() > MAX_CHARS) {
      throw new IllegalArgumentException(what + " is longer than " + MAX_CHARS + " characters");
    }
    for (int i = 0; i < path.length(); i++) {
      if (path.charAt(i) < 0x20 || path.charAt(i) == 0x7f) {
        throw new IllegalArgumentException(what + " holds a control character");
      }
    }
    String text = path.replace('\\', '/');
    if (text.startsWith("/")
        || text.startsWith("~")
        || (text.length() >= 2 && Character.isLetter(text.charAt(0)) && text.charAt(1) == ':')) {
      throw new IllegalArgumentException(
          what + " must be a path relative to the workspace, not " + PhaseSettings.printable(path));
    }
    Deque<String> parts = new ArrayDeque<>();
    for (String part : text.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (parts.isEmpty()) {
          throw new IllegalArgumentException(
              what + " " + PhaseSettings.printable(path) + " leaves the workspace");
        }
        parts.removeLast();
        continue;
      }
      parts.addLast(part);
    }
    if (parts.isEmpty() && !allowRoot) {
      throw new IllegalArgumentException(
          what + " " + PhaseSettings.printable(path) + " names the workspace itself");
    }
    return String.join("/", parts);
  }

  /** The last segment of a resolved path (the file's name). */
  public static String fileName(String resolved) {
    int slash = resolved.lastIndexOf('/');
    return slash < 0 ? resolved : resolved.substring(slash + 1);
  }
}
