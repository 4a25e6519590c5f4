package io.phase.core.workspace;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Unpacks an untrusted {@link WorkspaceArchive} into an empty directory of any file system (e.g.
 * the guest's Jimfs) as its bytes arrive. Refuses absolute paths, {@code ..} and {@code .}, entries
 * whose parent directory was not declared before them, duplicates, unknown entry kinds (there is no
 * way to express a link or device), modes above 0777, more than {@code maxEntries} entries or
 * {@code maxBytes} file bytes, and bytes after the end marker. Modes are applied where the file
 * system supports POSIX permissions, with the owner's read and write (and search, for directories)
 * always kept. After a failure the target holds a partial tree: discard it.
 */
public final class WorkspaceUnpacker implements ArchiveSink {

  private enum Step {
    MAGIC,
    KIND,
    PATH_LENGTH,
    PATH,
    MODE,
    SIZE,
    DATA,
    ENDED,
    FAILED
  }

  private final Path root;
  private final TreeDigest digest = new TreeDigest();
  private final long maxBytes;
  private final int maxEntries;
  private final Set<String> directories = new HashSet<>();
  private final Set<String> seen = new HashSet<>();
  private final List<DirectoryMode> directoryModes = new ArrayList<>();
  private final boolean posix;

  private final byte[] field = new byte[WorkspaceArchive.MAX_PATH_BYTES];
  private int need;
  private int fill;
  private Step step = Step.MAGIC;

  private int kind;
  private String[] parts;
  private String rel;
  private long remaining;
  private OutputStream file;
  private Path filePath;
  private int fileMode;
  private int entries;
  private long fileBytes;

  /**
   * An unpacker into {@code root}, which must be an existing, empty directory.
   *
   * @throws WorkspaceException if it is not
   */
  public WorkspaceUnpacker(Path root, long maxBytes, int maxEntries) throws WorkspaceException {
    this.root = root;
    this.maxBytes = maxBytes;
    this.maxEntries = maxEntries;
    if (root == null) {
      this.posix = false;
      directories.add("");
      expect(WorkspaceArchive.MAGIC.length);
      return;
    }
    if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
      throw new WorkspaceException("unpack target " + root + " is not a directory");
    }
    try (DirectoryStream<Path> s = Files.newDirectoryStream(root)) {
      if (s.iterator().hasNext()) {
        throw new WorkspaceException("unpack target " + root + " is not empty");
      }
    } catch (IOException e) {
      throw new WorkspaceException("cannot read unpack target " + root + ": " + e.getMessage(), e);
    }
    this.posix = root.getFileSystem().supportedFileAttributeViews().contains("posix");
    directories.add("");
    expect(WorkspaceArchive.MAGIC.length);
  }

  /** Unpacks a whole archive held in memory. */
  public static void unpack(byte[] archive, Path root, long maxBytes, int maxEntries)
      throws WorkspaceException {
    try (WorkspaceUnpacker unpacker = new WorkspaceUnpacker(root, maxBytes, maxEntries)) {
      unpacker.accept(archive);
      unpacker.finish();
    }
  }

  /**
   * A checker that applies every rule of the unpacker and computes the {@link TreeDigest} but
   * writes nothing.
   */
  public static WorkspaceUnpacker checkOnly(long maxBytes, int maxEntries) {
    try {
      return new WorkspaceUnpacker(null, maxBytes, maxEntries);
    } catch (WorkspaceException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The Merkle digest of the unpacked tree ({@link TreeDigest}); only after {@link #finish}. */
  public String treeDigest() {
    if (step != Step.ENDED) {
      throw new IllegalStateException("the archive is not complete");
    }
    return digest.digest();
  }

  /** Checks a whole archive in memory and returns its tree digest. */
  public static String digestOf(byte[] archive, long maxBytes, int maxEntries)
      throws WorkspaceException {
    try (WorkspaceUnpacker checker = checkOnly(maxBytes, maxEntries)) {
      checker.accept(archive);
      checker.finish();
      return checker.treeDigest();
    }
  }

  /** Files and directories created so far. */
  public int entries() {
    return entries;
  }

  /** File bytes written so far. */
  public long fileBytes() {
    return fileBytes;
  }

  /**
   * Consumes the next bytes of the archive.
   *
   * @throws WorkspaceException if they break a rule; the unpacker is then unusable
   */
  @Override
  public void accept(byte[] chunk) throws WorkspaceException {
    if (step == Step.FAILED) {
      throw new WorkspaceException("workspace unpacking already failed");
    }
    try {
      ByteBuffer in = ByteBuffer.wrap(chunk);
      while (in.hasRemaining()) {
        if (step == Step.ENDED) {
          throw new WorkspaceException("workspace archive has bytes after its end marker");
        }
        if (step == Step.DATA) {
          int n = (int) Math.min(in.remaining(), remaining);
          if (file != null) {
            file.write(chunk, in.position(), n);
          }
          digest.fileData(chunk, in.position(), n);
          in.position(in.position() + n);
          remaining -= n;
          if (remaining == 0) {
            closeFile();
          }
          continue;
        }
        int n = Math.min(in.remaining(), need - fill);
        in.get(field, fill, n);
        fill += n;
        if (fill == need) {
          fieldComplete();
        }
      }
    } catch (WorkspaceException e) {
      fail();
      throw e;
    } catch (IOException e) {
      fail();
      throw new WorkspaceException("cannot unpack workspace: " + e.getMessage(), e);
    }
  }

  /**
   * Call when the declared archive size has been fed.
   *
   * @throws WorkspaceException if the archive stopped before its end marker
   */
  @Override
  public void finish() throws WorkspaceException {
    if (step != Step.ENDED) {
      fail();
      throw new WorkspaceException("workspace archive is truncated");
    }
    if (posix) {
      for (int i = directoryModes.size() - 1; i >= 0; i--) {
        DirectoryMode dm = directoryModes.get(i);
        applyMode(dm.path(), dm.mode() | 0700);
      }
    }
  }

  @Override
  public void close() {
    if (file != null) {
      try {
        file.close();
      } catch (IOException e) {
        // the target is discarded after a failure; nothing more to report
      }
      file = null;
    }
  }

  private void fieldComplete() throws WorkspaceException, IOException {
    switch (step) {
      case MAGIC -> {
        if (!Arrays.equals(field, 0, need, WorkspaceArchive.MAGIC, 0, need)) {
          throw new WorkspaceException("not a workspace archive (bad magic or version)");
        }
        step = Step.KIND;
        expect(1);
      }
      case KIND -> {
        kind = field[0] & 0xff;
        if (kind == WorkspaceArchive.KIND_END) {
          step = Step.ENDED;
          return;
        }
        if (kind != WorkspaceArchive.KIND_DIRECTORY && kind != WorkspaceArchive.KIND_FILE) {
          throw new WorkspaceException(
              "workspace archive entry kind " + kind + " is not a file or directory");
        }
        if (++entries > maxEntries) {
          throw new WorkspaceException(
              "workspace archive has more than " + maxEntries + " entries");
        }
        step = Step.PATH_LENGTH;
        expect(2);
      }
      case PATH_LENGTH -> {
        int length = ((field[0] & 0xff) << 8) | (field[1] & 0xff);
        if (length == 0 || length > WorkspaceArchive.MAX_PATH_BYTES) {
          throw new WorkspaceException(
              "workspace archive path length "
                  + length
                  + " outside 1.."
                  + WorkspaceArchive.MAX_PATH_BYTES);
        }
        step = Step.PATH;
        expect(length);
      }
      case PATH -> {
        parts = ArchivePaths.components(Arrays.copyOf(field, need));
        rel = String.join("/", parts);
        String parent = parts.length == 1 ? "" : rel.substring(0, rel.lastIndexOf('/'));
        if (!directories.contains(parent)) {
          throw new WorkspaceException(
              "workspace archive entry " + Printable.of(rel) + " comes before its directory");
        }
        if (!seen.add(rel)) {
          throw new WorkspaceException("workspace archive has " + Printable.of(rel) + " twice");
        }
        step = Step.MODE;
        expect(2);
      }
      case MODE -> {
        int mode = ((field[0] & 0xff) << 8) | (field[1] & 0xff);
        if (mode > WorkspaceArchive.MAX_MODE) {
          throw new WorkspaceException(
              String.format(
                  "workspace archive entry %s has mode %o; only permission bits (≤ 0777) are allowed",
                  Printable.of(rel), mode));
        }
        Path target = root == null ? null : ArchivePaths.resolve(root, parts);
        if (kind == WorkspaceArchive.KIND_DIRECTORY) {
          if (target != null) {
            Files.createDirectory(target);
            directoryModes.add(new DirectoryMode(target, mode));
          }
          directories.add(rel);
          digest.directory(rel, mode);
          step = Step.KIND;
          expect(1);
        } else {
          filePath = target;
          fileMode = mode;
          step = Step.SIZE;
          expect(8);
        }
      }
      case SIZE -> {
        long size = ByteBuffer.wrap(field, 0, 8).getLong();
        if (size < 0 || size > maxBytes - fileBytes) {
          throw new WorkspaceException(
              "workspace archive is larger than the limit of "
                  + maxBytes
                  + " bytes (at "
                  + Printable.of(rel)
                  + ")");
        }
        fileBytes += size;
        digest.fileStart(rel, fileMode, size);
        if (filePath != null) {
          file =
              Files.newOutputStream(
                  filePath, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        }
        remaining = size;
        step = Step.DATA;
        if (size == 0) {
          closeFile();
        }
      }
      default -> throw new IllegalStateException("unexpected step " + step);
    }
  }

  private void closeFile() throws IOException, WorkspaceException {
    if (file != null) {
      file.close();
    }
    file = null;
    digest.fileEnd();
    if (posix) {
      applyMode(filePath, fileMode | 0600);
    }
    step = Step.KIND;
    expect(1);
  }

  private record DirectoryMode(Path path, int mode) {}

  private void applyMode(Path path, int mode) throws WorkspaceException {
    Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] all = PosixFilePermission.values();
    for (int i = 0; i < all.length; i++) {
      if ((mode & (0400 >> i)) != 0) {
        perms.add(all[i]);
      }
    }
    try {
      Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
          .setPermissions(perms);
    } catch (IOException e) {
      throw new WorkspaceException("cannot set the mode of " + path + ": " + e.getMessage(), e);
    }
  }

  private void expect(int n) {
    need = n;
    fill = 0;
  }

  private void fail() {
    step = Step.FAILED;
    close();
  }
}
