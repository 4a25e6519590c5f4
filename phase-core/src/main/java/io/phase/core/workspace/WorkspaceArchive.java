package io.phase.core.workspace;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

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
 * directory with {@link HostTreeWalker}, the sandbox copier's walk (never following a link,
 * refusing anything that is not a file or directory, capping bytes and entries); {@link
 * WorkspaceUnpacker} applies the same rules and caps to untrusted archives.
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
  public static final int MAX_DEPTH = HostTreeWalker.MAX_DEPTH;

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
    DataOutputStream data = new DataOutputStream(out);
    Packer packer = new Packer(data, maxBytes);
    data.write(MAGIC);
    int entries = HostTreeWalker.walk(hostDir, maxEntries, packer);
    data.writeByte(KIND_END);
    data.flush();
    return new Packed(entries, packer.fileBytes, data.size());
  }

  /**
   * The {@link TreeDigest} of the tree under {@code hostDir}, as a worker would compute it from its
   * archive, without holding the archive: the packed bytes stream through the same checker.
   */
  public static String treeDigest(Path hostDir, long maxBytes, int maxEntries)
      throws WorkspaceException, IOException {
    WorkspaceUnpacker checker = WorkspaceUnpacker.checkOnly(maxBytes, maxEntries);
    OutputStream feed =
        new OutputStream() {
          @Override
          public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
          }

          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            try {
              checker.accept(java.util.Arrays.copyOfRange(b, off, off + len));
            } catch (WorkspaceException e) {
              throw new IOException(e.getMessage(), e);
            }
          }
        };
    pack(hostDir, maxBytes, maxEntries, new java.io.BufferedOutputStream(feed, 64 * 1024));
    checker.finish();
    return checker.treeDigest();
  }

  /** Packs into memory, for archives known to be small (at most {@code maxBytes} of files). */
  public static byte[] packToBytes(Path hostDir, long maxBytes, int maxEntries)
      throws WorkspaceException, IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    pack(hostDir, maxBytes, maxEntries, out);
    return out.toByteArray();
  }

  private static final class Packer implements HostTreeWalker.Visitor {
    final DataOutputStream out;
    final long maxBytes;
    long fileBytes;

    Packer(DataOutputStream out, long maxBytes) {
      this.out = out;
      this.maxBytes = maxBytes;
    }

    @Override
    public void directory(String rel, int mode) throws IOException, WorkspaceException {
      header(KIND_DIRECTORY, rel, mode);
    }

    @Override
    public void file(String rel, int mode, long size, SeekableByteChannel in)
        throws IOException, WorkspaceException {
      header(KIND_FILE, rel, mode);
      if (fileBytes + size > maxBytes) {
        throw new WorkspaceException(
            "workspace is larger than the limit of " + maxBytes + " bytes (at " + rel + ")");
      }
      out.writeLong(size);
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
      fileBytes += size;
    }

    private void header(int kind, String relName, int mode) throws IOException, WorkspaceException {
      for (String part : relName.split("/", -1)) {
        ArchivePaths.checkComponent(part, relName);
      }
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
  }
}
