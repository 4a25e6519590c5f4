package io.phase.core.protocol;

import io.phase.core.sandbox.WorkspaceException;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
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
 * The workspace archive carried by WORKSPACE_DATA frames, and its packer.
 *
 * <pre>
 * archive = "PHWS" 0x01 entry* 0x00
 * entry   = kind u8 (1 directory, 2 file) | path_len u16be | path (UTF-8) | mode u16be (≤ 0777)
 *           | file only: size u64be | size bytes
 * </pre>
 *
 * Paths are relative, '/'-separated, each component non-empty, not {@code .} or {@code ..}, without
 * control characters, {@code \} or {@code :}; a parent directory comes before its children. Only
 * files and directories exist: no links, devices, fifos or sockets. {@link #pack} walks a host
 * directory with the sandbox copier's rules (never following a link, refusing anything that is not
 * a file or directory, capping bytes and entries); {@link WorkspaceUnpacker} applies the same rules
 * and caps to untrusted archives.
 */
public final class WorkspaceArchive {

  /** Magic and version at the start of every archive. */
  static final byte[] MAGIC = {'P', 'H', 'W', 'S', 1};

  static final int KIND_END = 0;
  static final int KIND_DIRECTORY = 1;
  static final int KIND_FILE = 2;

  /** Longest entry path, in UTF-8 bytes. */
  public static final int MAX_PATH_BYTES = 1024;

  /** Longest path component, in UTF-8 bytes. */
  public static final int MAX_NAME_BYTES = 255;

  /** Deepest nesting. */
  public static final int MAX_DEPTH = 64;

  /** Largest mode: permission bits only, never setuid, setgid or sticky. */
  public static final int MAX_MODE = 0777;

  private static final int BUFFER = 64 * 1024;

  private WorkspaceArchive() {}

  /**
   * What {@link #pack} wrote.
   *
   * @param entries files and directories
   * @param fileBytes file content bytes
   * @param archiveBytes bytes of the archive, headers included
   */
  public record Packed(int entries, long fileBytes, long archiveBytes) {}

  /**
   * Writes an archive of everything under {@code hostDir} to {@code out}. Entries are sorted by
   * name, so the same tree always gives the same bytes.
   *
   * @throws WorkspaceException if the tree holds a link, device, fifo or socket, a name the format
   *     cannot carry, more than {@code maxEntries} entries or {@code maxBytes} file bytes, or a
   *     file changes size while it is read
   */
  public static Packed pack(Path hostDir, long maxBytes, int maxEntries, OutputStream out)
      throws WorkspaceException, IOException {
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(hostDir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      throw new WorkspaceException("cannot read workspace " + hostDir + ": " + e.getMessage(), e);
    }
    if (!attrs.isDirectory()) {
      throw new WorkspaceException("workspace " + hostDir + " is not a directory");
    }
    Packer packer = new Packer(new DataOutputStream(out), maxBytes, maxEntries);
    packer.out.write(MAGIC);
    try (DirectoryStream<Path> root = Files.newDirectoryStream(hostDir)) {
      if (!(root instanceof SecureDirectoryStream<Path> secure)) {
        throw new WorkspaceException(
            "this platform cannot walk directories without following links; workspaces are unavailable");
      }
      packer.directory(secure, "", 0);
    }
    packer.out.writeByte(KIND_END);
    packer.out.flush();
    return new Packed(packer.entries, packer.fileBytes, packer.out.size());
  }

  private static final class Packer {
    final DataOutputStream out;
    final long maxBytes;
    final int maxEntries;
    int entries;
    long fileBytes;

    Packer(DataOutputStream out, long maxBytes, int maxEntries) {
      this.out = out;
      this.maxBytes = maxBytes;
      this.maxEntries = maxEntries;
    }

    void directory(SecureDirectoryStream<Path> dir, String rel, int depth)
        throws IOException, WorkspaceException {
      if (depth >= MAX_DEPTH) {
        throw new WorkspaceException("workspace is nested deeper than " + MAX_DEPTH + " levels");
      }
      List<Path> names = new ArrayList<>();
      for (Path entry : dir) {
        names.add(entry.getFileName());
        if (entries + names.size() > maxEntries) {
          throw new WorkspaceException("workspace has more than " + maxEntries + " entries");
        }
      }
      names.sort(Comparator.comparing(Path::toString));
      for (Path child : names) {
        String name = child.toString();
        String relName = rel.isEmpty() ? name : rel + "/" + name;
        ArchivePaths.checkComponent(name, relName);
        PosixFileAttributeView posix =
            dir.getFileAttributeView(
                child, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        BasicFileAttributes attrs =
            posix != null
                ? posix.readAttributes()
                : dir.getFileAttributeView(
                        child, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .readAttributes();
        if (++entries > maxEntries) {
          throw new WorkspaceException("workspace has more than " + maxEntries + " entries");
        }
        if (attrs.isDirectory()) {
          header(KIND_DIRECTORY, relName, mode(attrs, 0755));
          try (SecureDirectoryStream<Path> sub =
              dir.newDirectoryStream(child, LinkOption.NOFOLLOW_LINKS)) {
            directory(sub, relName, depth + 1);
          }
        } else if (attrs.isRegularFile()) {
          header(KIND_FILE, relName, mode(attrs, 0644));
          file(dir, child, relName, attrs.size());
        } else {
          throw new WorkspaceException(
              "workspace entry "
                  + relName
                  + " is "
                  + (attrs.isSymbolicLink() ? "a symbolic link" : "a device, fifo or socket")
                  + "; only files and directories are packed");
        }
      }
    }

    private void header(int kind, String relName, int mode) throws IOException, WorkspaceException {
      byte[] path = relName.getBytes(StandardCharsets.UTF_8);
      if (path.length > MAX_PATH_BYTES) {
        throw new WorkspaceException(
            "workspace path longer than " + MAX_PATH_BYTES + " bytes: " + relName);
      }
      out.writeByte(kind);
      out.writeShort(path.length);
      out.write(path);
      out.writeShort(mode);
    }

    private void file(SecureDirectoryStream<Path> dir, Path child, String rel, long size)
        throws IOException, WorkspaceException {
      if (fileBytes + size > maxBytes) {
        throw new WorkspaceException(
            "workspace is larger than the limit of " + maxBytes + " bytes (at " + rel + ")");
      }
      out.writeLong(size);
      try (SeekableByteChannel in =
          dir.newByteChannel(child, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))) {
        ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
        long remaining = size;
        while (remaining > 0) {
          buffer.clear().limit((int) Math.min(BUFFER, remaining));
          int n = in.read(buffer);
          if (n < 0) {
            throw new WorkspaceException("workspace file " + rel + " shrank while being packed");
          }
          out.write(buffer.array(), 0, n);
          remaining -= n;
        }
        buffer.clear().limit(1);
        if (in.read(buffer) > 0) {
          throw new WorkspaceException("workspace file " + rel + " grew while being packed");
        }
      }
      fileBytes += size;
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
}
