package io.phase.core.workspace;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Validation of workspace archive paths: relative, '/'-separated, no '.', '..' or odd chars. */
final class ArchivePaths {
  private ArchivePaths() {}

  /**
   * Decodes and checks an entry path.
   *
   * @return its components
   * @throws WorkspaceException naming the rule it breaks
   */
  static String[] components(byte[] utf8) throws WorkspaceException {
    if (utf8.length == 0) {
      throw new WorkspaceException("archive entry has an empty path");
    }
    if (utf8.length > WorkspaceArchive.MAX_PATH_BYTES) {
      throw new WorkspaceException(
          "archive entry path longer than " + WorkspaceArchive.MAX_PATH_BYTES + " bytes");
    }
    String path;
    try {
      path =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(utf8))
              .toString();
    } catch (CharacterCodingException e) {
      throw new WorkspaceException("archive entry path is not valid UTF-8");
    }
    String shown = Printable.of(path);
    if (path.startsWith("/")) {
      throw new WorkspaceException("archive entry path is absolute: " + shown);
    }
    String[] parts = path.split("/", -1);
    if (parts.length > WorkspaceArchive.MAX_DEPTH) {
      throw new WorkspaceException(
          "archive entry nested deeper than " + WorkspaceArchive.MAX_DEPTH + " levels: " + shown);
    }
    for (String part : parts) {
      checkComponent(part, shown);
    }
    return parts;
  }

  /** Checks one path component (also used when packing host names). */
  static void checkComponent(String part, String shown) throws WorkspaceException {
    if (part.isEmpty()) {
      throw new WorkspaceException("archive entry path has an empty component: " + shown);
    }
    if (part.equals(".") || part.equals("..")) {
      throw new WorkspaceException("archive entry path contains '" + part + "': " + shown);
    }
    if (part.getBytes(StandardCharsets.UTF_8).length > WorkspaceArchive.MAX_NAME_BYTES) {
      throw new WorkspaceException(
          "archive entry name longer than " + WorkspaceArchive.MAX_NAME_BYTES + " bytes: " + shown);
    }
    for (int i = 0; i < part.length(); i++) {
      char c = part.charAt(i);
      if (c < 0x20 || c == 0x7f || c == '\\' || c == ':' || c == '/') {
        throw new WorkspaceException(
            "archive entry name contains a control character, '\\\\' or ':': " + shown);
      }
    }
  }

  /** {@code root} resolved by each component in turn; checked to stay under {@code root}. */
  static Path resolve(Path root, String[] parts) throws WorkspaceException {
    Path p = root;
    for (String part : parts) {
      p = p.resolve(part);
    }
    if (!p.normalize().startsWith(root.normalize()) || p.normalize().equals(root.normalize())) {
      throw new WorkspaceException(
          "archive entry escapes the workspace: " + Printable.of(String.join("/", parts)));
    }
    return p;
  }
}
