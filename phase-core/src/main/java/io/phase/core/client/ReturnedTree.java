package io.phase.core.client;

import io.phase.core.workspace.WorkspaceException;
import io.phase.core.workspace.WorkspaceUnpacker;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;

/**
 * An output tree a worker returned ({@code phase run --out}), already checked: its archive obeys
 * every unpacking rule and hashes to the digest the signed receipt names for {@code path}.
 */
public record ReturnedTree(String path, String digest, byte[] archive) {

  public ReturnedTree {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(digest, "digest");
    Objects.requireNonNull(archive, "archive");
  }

  /**
   * Unpacks the tree into {@code hostDir}, which must not exist or be an empty directory (never a
   * link): the archive is unpacked with the workspace unpacker's rules (no links, nothing outside
   * the target, capped) into a fresh directory beside it, which then replaces it, so {@code
   * hostDir} never holds a partial tree and nothing outside it is touched.
   *
   * @throws WorkspaceException naming the problem, in one line
   */
  public void unpackInto(Path hostDir) throws WorkspaceException {
    Path target = hostDir.toAbsolutePath().normalize();
    requireAbsentOrEmpty(target);
    Path parent = target.getParent();
    if (parent == null) {
      throw new WorkspaceException("cannot unpack output " + path + " into " + hostDir);
    }
    Path fresh = null;
    try {
      Files.createDirectories(parent);
      fresh = Files.createTempDirectory(parent, ".phase-out-");
      WorkspaceUnpacker.unpack(
          archive, fresh, JobSpec.MAX_OUTPUT_TREE_BYTES, JobSpec.MAX_OUTPUT_TREE_ENTRIES);
      if (parent.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        Files.setPosixFilePermissions(fresh, PosixFilePermissions.fromString("rwxr-xr-x"));
      }
      requireAbsentOrEmpty(target);
      Files.deleteIfExists(target);
      Files.move(fresh, target, StandardCopyOption.ATOMIC_MOVE);
      fresh = null;
    } catch (IOException e) {
      throw new WorkspaceException(
          "cannot unpack output " + path + " into " + hostDir + ": " + e.getMessage(), e);
    } finally {
      if (fresh != null) {
        deleteTree(fresh);
      }
    }
  }

  /** Refuses a target that exists and is not an empty real directory. */
  public static void requireAbsentOrEmpty(Path hostDir) throws WorkspaceException {
    if (!Files.exists(hostDir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (!Files.isDirectory(hostDir, LinkOption.NOFOLLOW_LINKS)) {
      throw new WorkspaceException(hostDir + " exists and is not a directory");
    }
    try (DirectoryStream<Path> s = Files.newDirectoryStream(hostDir)) {
      if (s.iterator().hasNext()) {
        throw new WorkspaceException(
            hostDir + " is not empty (an output tree goes into a new or empty directory)");
      }
    } catch (IOException e) {
      throw new WorkspaceException("cannot read " + hostDir + ": " + e.getMessage(), e);
    }
  }

  private static void deleteTree(Path root) {
    try {
      Files.walkFileTree(
          root,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.delete(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
              Files.delete(dir);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      // best effort: a partial temporary directory beside the target, named .phase-out-*
    }
  }
}
