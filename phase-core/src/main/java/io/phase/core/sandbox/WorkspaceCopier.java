package io.phase.core.sandbox;

import io.phase.core.workspace.HostTreeWalker;
import io.phase.core.workspace.WorkspaceException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Copies a host directory into the guest's private file system and the guest's writes back out. Our
 * own copier, because WASI preopens follow symlinks planted in a host directory out of the sandbox
 * and Chicory's copier copies what symlinks point at.
 *
 * <p>Copy-in walks the host tree with {@link HostTreeWalker} (never following links), so a symlink,
 * device, fifo or socket anywhere in the tree, or one swapped in during the copy, refuses the copy
 * with a message naming it. Totals are capped in bytes and entries.
 *
 * <p>Copy-out writes back only files the guest created or changed (by SHA-256), never follows a
 * link on the host (every ancestor is checked to be a real directory and files are opened with
 * {@code NOFOLLOW_LINKS}), refuses links the guest made, and applies the same caps. Deletions by
 * the guest are not propagated.
 */
final class WorkspaceCopier {
  private static final int MAX_DEPTH = 64;
  private static final int BUFFER = 64 * 1024;

  private final long maxBytes;
  private final int maxEntries;
  private final Map<String, byte[]> copiedInDigests = new HashMap<>();
  private int filesIn;
  private long bytesIn;

  WorkspaceCopier(long maxBytes, int maxEntries) {
    this.maxBytes = maxBytes;
    this.maxEntries = maxEntries;
  }

  int filesIn() {
    return filesIn;
  }

  long bytesIn() {
    return bytesIn;
  }

  /**
   * Copies {@code hostDir} into {@code guestRoot} (an empty directory of the guest's file system),
   * through {@link HostTreeWalker}.
   */
  void copyIn(Path hostDir, Path guestRoot) throws WorkspaceException {
    try {
      filesIn = HostTreeWalker.walk(hostDir, maxEntries, new CopyIn(guestRoot));
    } catch (IOException e) {
      throw new WorkspaceException("cannot copy workspace in: " + e.getMessage(), e);
    }
  }

  private final class CopyIn implements HostTreeWalker.Visitor {
    private final Path guestRoot;

    CopyIn(Path guestRoot) {
      this.guestRoot = guestRoot;
    }

    @Override
    public void directory(String rel, int mode) throws IOException {
      Files.createDirectory(guestRoot.resolve(rel));
    }

    @Override
    public void file(String rel, int mode, long size, SeekableByteChannel in)
        throws IOException, WorkspaceException {
      MessageDigest digest = sha256();
      try (OutputStream out =
          Files.newOutputStream(guestRoot.resolve(rel), StandardOpenOption.CREATE_NEW)) {
        ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
        int n;
        while ((n = in.read(buffer)) > 0) {
          bytesIn += n;
          if (bytesIn > maxBytes) {
            throw new WorkspaceException(
                "workspace is larger than the limit of " + maxBytes + " bytes (at " + rel + ")");
          }
          out.write(buffer.array(), 0, n);
          digest.update(buffer.array(), 0, n);
          buffer.clear();
        }
      }
      copiedInDigests.put(rel, digest.digest());
    }
  }

  /**
   * Writes the files the guest created or changed under {@code guestRoot} back to {@code hostDir}.
   *
   * @return how many files and bytes were written
   */
  long[] copyOut(Path guestRoot, Path hostDir) throws WorkspaceException {
    long[] totals = new long[2];
    try {
      requireRealDirectory(hostDir, hostDir);
      copyDirectoryOut(guestRoot, hostDir, "", 0, totals);
    } catch (IOException e) {
      throw new WorkspaceException("cannot copy the guest's files out: " + e.getMessage(), e);
    }
    return totals;
  }

  private void copyDirectoryOut(Path guestDir, Path hostDir, String rel, int depth, long[] totals)
      throws IOException, WorkspaceException {
    if (depth > MAX_DEPTH) {
      throw new WorkspaceException(
          "guest files are nested deeper than " + MAX_DEPTH + " levels at " + rel);
    }
    List<Path> entries = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(guestDir)) {
      for (Path entry : stream) {
        entries.add(entry);
        if (entries.size() > maxEntries) {
          throw new WorkspaceException("guest created more than " + maxEntries + " entries");
        }
      }
    }
    for (Path entry : entries) {
      String name = entry.getFileName().toString();
      String relName = rel.isEmpty() ? name : rel + "/" + name;
      BasicFileAttributes attrs =
          Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      Path hostPath = hostDir.resolve(name);
      if (attrs.isDirectory()) {
        if (!Files.exists(hostPath, LinkOption.NOFOLLOW_LINKS)) {
          Files.createDirectory(hostPath);
        }
        requireRealDirectory(hostPath, hostPath);
        copyDirectoryOut(entry, hostPath, relName, depth + 1, totals);
      } else if (attrs.isRegularFile()) {
        copyFileOut(entry, hostDir, hostPath, relName, totals);
      } else {
        throw new WorkspaceException(
            "guest created " + relName + ", which is " + kind(attrs) + "; refused");
      }
    }
  }

  private void copyFileOut(Path guestFile, Path hostDir, Path hostPath, String rel, long[] totals)
      throws IOException, WorkspaceException {
    byte[] before = copiedInDigests.get(rel);
    if (before != null && MessageDigest.isEqual(before, digestOf(guestFile))) {
      return;
    }
    long size = Files.size(guestFile);
    if (totals[1] + size > maxBytes) {
      throw new WorkspaceException(
          "guest wrote more than the limit of " + maxBytes + " bytes (at " + rel + ")");
    }
    if (++totals[0] > maxEntries) {
      throw new WorkspaceException("guest wrote more than " + maxEntries + " files");
    }
    requireRealDirectory(hostDir, hostDir);
    if (Files.exists(hostPath, LinkOption.NOFOLLOW_LINKS)
        && !Files.isRegularFile(hostPath, LinkOption.NOFOLLOW_LINKS)) {
      throw new WorkspaceException("host entry " + rel + " is not a regular file; not overwritten");
    }
    try (InputStream in = Files.newInputStream(guestFile);
        OutputStream out =
            Channels.newOutputStream(
                Files.newByteChannel(
                    hostPath,
                    Set.of(
                        StandardOpenOption.WRITE,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.TRUNCATE_EXISTING,
                        LinkOption.NOFOLLOW_LINKS)))) {
      totals[1] += in.transferTo(out);
    }
  }

  private static void requireRealDirectory(Path path, Path shown) throws WorkspaceException {
    try {
      BasicFileAttributes attrs =
          Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (!attrs.isDirectory()) {
        throw new WorkspaceException(
            shown + " is " + kind(attrs) + ", not a directory; not written");
      }
    } catch (IOException e) {
      throw new WorkspaceException("cannot read " + shown + ": " + e.getMessage(), e);
    }
  }

  private static byte[] digestOf(Path file) throws IOException {
    MessageDigest digest = sha256();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[BUFFER];
      int n;
      while ((n = in.read(buffer)) > 0) {
        digest.update(buffer, 0, n);
      }
    }
    return digest.digest();
  }

  private static String kind(BasicFileAttributes attrs) {
    if (attrs.isSymbolicLink()) {
      return "a symbolic link";
    }
    if (attrs.isOther()) {
      return "a device, fifo or socket";
    }
    return attrs.isDirectory() ? "a directory" : "a file";
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
