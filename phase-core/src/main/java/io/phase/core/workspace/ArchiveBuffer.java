package io.phase.core.workspace;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * Collects an archive's bytes, at most a declared size, checking the magic as soon as it arrives.
 * The structure is checked when the archive is unpacked ({@link WorkspaceUnpacker}).
 */
public final class ArchiveBuffer implements ArchiveSink {
  private final long size;
  private final ByteArrayOutputStream bytes;
  private boolean finished;

  /** A buffer for an archive of exactly {@code size} bytes (at most 2 GiB − 1). */
  public ArchiveBuffer(long size) {
    if (size < WorkspaceArchive.MAGIC.length + 1 || size >= Integer.MAX_VALUE) {
      throw new IllegalArgumentException("archive size out of range: " + size);
    }
    this.size = size;
    this.bytes = new ByteArrayOutputStream((int) Math.min(size, 1 << 20));
  }

  @Override
  public void accept(byte[] chunk) throws WorkspaceException {
    if (finished || bytes.size() + (long) chunk.length > size) {
      throw new WorkspaceException("workspace archive is longer than its declared size");
    }
    int before = bytes.size();
    bytes.write(chunk, 0, chunk.length);
    int magic = WorkspaceArchive.MAGIC.length;
    if (before < magic && bytes.size() >= magic) {
      byte[] head = Arrays.copyOf(bytes.toByteArray(), magic);
      if (!Arrays.equals(head, WorkspaceArchive.MAGIC)) {
        throw new WorkspaceException("not a workspace archive (bad magic or version)");
      }
    }
  }

  @Override
  public void finish() throws WorkspaceException {
    if (bytes.size() != size) {
      throw new WorkspaceException("workspace archive is truncated");
    }
    finished = true;
  }

  /** The whole archive, once finished. */
  public byte[] bytes() {
    if (!finished) {
      throw new IllegalStateException("the archive is not complete");
    }
    return bytes.toByteArray();
  }

  @Override
  public void close() {
    // nothing open: the bytes are on the heap
  }
}
