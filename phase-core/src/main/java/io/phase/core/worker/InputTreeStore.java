package io.phase.core.worker;

import io.phase.core.cache.SizedLruCache;
import io.phase.core.workspace.WorkspaceException;
import io.phase.core.workspace.WorkspaceUnpacker;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Input trees held by this worker on disk, content-addressed by their Merkle digest ({@link
 * io.phase.core.workspace.TreeDigest}), shared by every job, so a tree travels only when missing.
 * Each tree is kept as its workspace archive in {@code <dir>/<hex>.phws}, written through a
 * temporary file that is synced and moved into place atomically. Bounded in entries and bytes,
 * least recently used deleted first. Every read checks the archive again (all unpacking rules, and
 * its digest); an entry that fails is deleted and reported missing, so the client uploads it again.
 * Thread-safe.
 */
final class InputTreeStore {
  private static final Logger LOG = LoggerFactory.getLogger(InputTreeStore.class);
  private static final Pattern NAME = Pattern.compile("[0-9a-f]{64}\\.phws");
  private static final String SUFFIX = ".phws";

  private final Path dir;
  private final long maxTreeBytes;
  private final int maxTreeEntries;
  private final SizedLruCache<String, Long> index;
  private long stored;
  private long corrupt;

  /**
   * A store in {@code dir} (created 0700 if missing; archives already there are adopted, oldest
   * first) of at most {@code maxEntries} trees and {@code maxBytes} bytes of archives. Each tree is
   * checked against {@code maxTreeBytes} file bytes and {@code maxTreeEntries} entries on read.
   */
  InputTreeStore(Path dir, int maxEntries, long maxBytes, long maxTreeBytes, int maxTreeEntries)
      throws IOException {
    this.dir = dir;
    this.maxTreeBytes = maxTreeBytes;
    this.maxTreeEntries = maxTreeEntries;
    this.index = new SizedLruCache<>(maxEntries, maxBytes, size -> size, this::delete);
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectories(dir);
      try {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system
      }
    }
    adopt();
  }

  private void adopt() throws IOException {
    record Found(String hex, long size, long modified) {}
    List<Found> found = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        BasicFileAttributes attrs =
            Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (name.endsWith(".tmp") && attrs.isRegularFile()) {
          Files.deleteIfExists(entry); // a write cut short by a crash
        } else if (NAME.matcher(name).matches() && attrs.isRegularFile()) {
          found.add(
              new Found(name.substring(0, 64), attrs.size(), attrs.lastModifiedTime().toMillis()));
        }
        if (found.size() > 100_000) {
          break;
        }
      }
    }
    found.sort(Comparator.comparingLong(Found::modified));
    for (Found f : found) {
      index.put("sha256:" + f.hex(), f.size());
    }
  }

  /** True if a tree is indexed under {@code digest} (not yet checked). */
  boolean contains(String digest) {
    return index.containsKey(digest);
  }

  /**
   * The archive of the tree {@code digest}, checked: present only if the file is there, is a
   * well-formed archive within the caps, and hashes to {@code digest}. A bad entry is deleted.
   */
  Optional<byte[]> get(String digest) {
    return get(digest, -1);
  }

  /**
   * As {@link #get(String)}, but only an archive of exactly {@code expectedBytes} (a client's
   * claim): any other size is treated as not held, before anything is read, so a false claim cannot
   * make the worker read and hash large entries within a small stated size. A negative {@code
   * expectedBytes} accepts any size.
   */
  Optional<byte[]> get(String digest, long expectedBytes) {
    Optional<Long> size = index.get(digest);
    if (size.isEmpty() || (expectedBytes >= 0 && size.get() != expectedBytes)) {
      return Optional.empty();
    }
    Path file = fileOf(digest);
    try {
      byte[] bytes = read(file, size.get());
      String actual = WorkspaceUnpacker.digestOf(bytes, maxTreeBytes, maxTreeEntries);
      if (actual.equals(digest)) {
        return Optional.of(bytes);
      }
      reject(digest, "its contents hash to " + actual);
    } catch (IOException | WorkspaceException e) {
      reject(digest, e.getMessage());
    }
    return Optional.empty();
  }

  private void reject(String digest, String why) {
    synchronized (this) {
      corrupt++;
    }
    LOG.warn("input_store_corrupt digest={} reason=\"{}\" action=deleted", digest, why);
    index.remove(digest);
  }

  /** Stores a verified tree archive under its digest (which the caller has checked). */
  void put(String digest, byte[] archive) {
    if (index.containsKey(digest)) {
      return;
    }
    Path file = fileOf(digest);
    Path tmp = dir.resolve(file.getFileName() + "." + Long.toHexString(System.nanoTime()) + ".tmp");
    try {
      try (FileChannel out =
          FileChannel.open(
              tmp,
              StandardOpenOption.CREATE_NEW,
              StandardOpenOption.WRITE,
              LinkOption.NOFOLLOW_LINKS)) {
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(archive);
        while (buffer.hasRemaining()) {
          out.write(buffer);
        }
        out.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      if (index.put(digest, (long) archive.length)) {
        synchronized (this) {
          stored++;
        }
      } else {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      LOG.warn("input_store_write_failed digest={} reason=\"{}\"", digest, e.getMessage());
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // best effort
      }
    }
  }

  /** Trees written since start (each one arrived over the wire). */
  synchronized long stored() {
    return stored;
  }

  /** Entries found bad on read and deleted, since start. */
  synchronized long corrupt() {
    return corrupt;
  }

  int size() {
    return index.size();
  }

  private Path fileOf(String digest) {
    return dir.resolve(digest.substring("sha256:".length()) + SUFFIX);
  }

  private void delete(String digest, Long size) {
    try {
      Files.deleteIfExists(fileOf(digest));
    } catch (IOException e) {
      LOG.warn("input_store_delete_failed digest={} reason=\"{}\"", digest, e.getMessage());
    }
  }

  private static byte[] read(Path file, long expected) throws IOException {
    BasicFileAttributes attrs =
        Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (!attrs.isRegularFile()) {
      throw new IOException("the entry is not a regular file");
    }
    if (attrs.size() != expected || expected > Integer.MAX_VALUE - 16) {
      throw new IOException("the entry is " + attrs.size() + " bytes, expected " + expected);
    }
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      byte[] bytes = in.readNBytes((int) expected);
      if (bytes.length != expected || in.read() != -1) {
        throw new IOException("the entry changed size while read");
      }
      return bytes;
    }
  }
}
