package io.phase.core.workspace;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * The one safe walk of a host directory tree, shared by the sandbox's copy-in and the workspace
 * archive packer. It walks through {@link SecureDirectoryStream} (openat-style, relative to open
 * directory handles, never following links), so a symbolic link, device, fifo or socket anywhere in
 * the tree — or one swapped in during the walk — stops the walk with a message naming the entry;
 * the root itself must be a real directory. Entries are visited parents first, siblings sorted by
 * name (same tree, same order), at most {@code maxEntries} of them and at most {@link #MAX_DEPTH}
 * path components deep.
 */
public final class HostTreeWalker {

  /** Deepest nesting, in path components. */
  public static final int MAX_DEPTH = 64;

  /** What the walk reports, in order. */
  public interface Visitor {
    /** A directory at {@code rel} ('/'-separated, relative), before its children. */
    void directory(String rel, int mode) throws IOException, WorkspaceException;

    /**
     * A regular file at {@code rel}; {@code content} is open for reading (never through a link) and
     * closed by the walker after this returns.
     */
    void file(String rel, int mode, long size, SeekableByteChannel content)
        throws IOException, WorkspaceException;
  }

  private final int maxEntries;
  private final Visitor visitor;
  private int entries;

  private HostTreeWalker(int maxEntries, Visitor visitor) {
    this.maxEntries = maxEntries;
    this.visitor = visitor;
  }

  /**
   * Walks everything under {@code root} (not the root itself).
   *
   * @return the number of entries visited
   * @throws WorkspaceException if the root is not a real directory, the tree holds anything but
   *     files and directories, is too deep or has too many entries, or the visitor refuses
   */
  public static int walk(Path root, int maxEntries, Visitor visitor)
      throws WorkspaceException, IOException {
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(root, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      throw new WorkspaceException("cannot read workspace " + root + ": " + e.getMessage(), e);
    }
    if (!attrs.isDirectory()) {
      throw new WorkspaceException(
          "workspace "
              + root
              + " is not a directory"
              + (attrs.isSymbolicLink() ? " (a symbolic link)" : ""));
    }
    HostTreeWalker walker = new HostTreeWalker(maxEntries, visitor);
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(root)) {
      if (!(stream instanceof SecureDirectoryStream<Path> secure)) {
        throw new WorkspaceException(
            "this platform cannot walk directories without following links; workspaces are unavailable");
      }
      walker.directory(secure, "", 0);
    }
    return walker.entries;
  }

  private void directory(SecureDirectoryStream<Path> dir, String rel, int depth)
      throws IOException, WorkspaceException {
    List<Path> names = new ArrayList<>();
    for (Path entry : dir) {
      names.add(entry.getFileName());
      if (entries + names.size() > maxEntries) {
        throw new WorkspaceException("workspace has more than " + maxEntries + " entries");
      }
    }
    if (!names.isEmpty() && depth >= MAX_DEPTH) {
      throw new WorkspaceException(
          "workspace is nested deeper than " + MAX_DEPTH + " levels at " + rel);
    }
    names.sort(Comparator.comparing(Path::toString));
    for (Path name : names) {
      String relName = rel.isEmpty() ? name.toString() : rel + "/" + name;
      PosixFileAttributeView posix =
          dir.getFileAttributeView(name, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
      BasicFileAttributes attrs =
          posix != null
              ? posix.readAttributes()
              : dir.getFileAttributeView(
                      name, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                  .readAttributes();
      if (++entries > maxEntries) {
        throw new WorkspaceException(
            "workspace has more than " + maxEntries + " entries (at " + relName + ")");
      }
      if (attrs.isDirectory()) {
        visitor.directory(relName, mode(attrs, 0755));
        try (SecureDirectoryStream<Path> child =
            dir.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS)) {
          directory(child, relName, depth + 1);
        }
      } else if (attrs.isRegularFile()) {
        try (SeekableByteChannel in =
            dir.newByteChannel(name, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))) {
          visitor.file(relName, mode(attrs, 0644), attrs.size(), in);
        }
      } else {
        throw new WorkspaceException(
            "workspace entry "
                + relName
                + " is "
                + (attrs.isSymbolicLink() ? "a symbolic link" : "a device, fifo or socket")
                + "; only files and directories are allowed");
      }
    }
  }

  private static int mode(BasicFileAttributes attrs, int fallback) {
    if (!(attrs instanceof PosixFileAttributes posix)) {
      return fallback;
    }
    int mode = 0;
    for (PosixFilePermission p : posix.permissions()) {
      mode |= 0400 >> p.ordinal();
    }
    return mode;
  }
}
