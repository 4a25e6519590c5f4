package io.phase.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Reading and writing the user's files with size caps and one-line errors. */
final class BoundedFiles {
  private BoundedFiles() {}

  /**
   * Reads a whole file, refusing more than {@code max} bytes; a missing, unreadable or oversized
   * file is a {@link UserError} with {@code exitCode}.
   */
  static byte[] read(Path path, long max, String what, int exitCode) {
    try (InputStream in = Files.newInputStream(path)) {
      return readCapped(in, max, what + " " + path, exitCode);
    } catch (NoSuchFileException e) {
      throw new UserError(exitCode, what + " " + path + " does not exist");
    } catch (IOException e) {
      throw new UserError(exitCode, "cannot read " + what + " " + path + ": " + e.getMessage());
    }
  }

  /** Reads a stream to its end, refusing more than {@code max} bytes (exit {@code exitCode}). */
  static byte[] readCapped(InputStream in, long max, String what, int exitCode) throws IOException {
    byte[] data = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
    if (data.length > max) {
      throw new UserError(exitCode, what + " is larger than " + max + " bytes");
    }
    return data;
  }

  /** Writes a file through a temporary sibling and a rename, so readers never see half of it. */
  static void writeAtomically(Path path, byte[] data, String what) {
    Path target = path.toAbsolutePath();
    Path tmp = null;
    try {
      tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
      Files.write(tmp, data);
      try {
        Files.move(
            tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UserError(
          ExitCodes.PHASE_ERROR, "cannot write " + what + " " + path + ": " + e.getMessage());
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // best effort: the temporary file is ours and harmless
        }
      }
    }
  }
}
