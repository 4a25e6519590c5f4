package io.phase.core.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compiled modules (the JVM classes Chicory generated for them) kept on this machine's disk, so
 * that a module is compiled once per machine and survives restarts.
 *
 * <p>One file per entry, {@code <key>.entry}, written to a temporary file and renamed into place,
 * so a reader sees a whole entry or none. The directory is bounded in total size: after each store
 * the least recently used entries (by modification time, which a hit refreshes) are deleted until
 * the total fits. Every entry ends with an HMAC-SHA256 over all its bytes under a per-machine key
 * ({@code key}, 32 random bytes, created once with mode 0600). Loading generated classes runs their
 * code in this JVM, so an entry whose HMAC does not verify, or that is truncated or malformed, is
 * deleted and never loaded; the module is compiled again.
 *
 * <p>Thread-safe, and safe for several processes sharing the directory: the worst a race does is
 * compile a module twice.
 */
final class CompiledModuleStore {
  private static final Logger LOG = LoggerFactory.getLogger(CompiledModuleStore.class);

  private static final int MAGIC = 0x5048434d; // "PHCM"
  private static final int FORMAT = 1;
  private static final int MAC_BYTES = 32;
  private static final int KEY_BYTES = 32;
  private static final int HEADER_BYTES = 4 + 4 + 64 + 4 + 4;
  private static final String SUFFIX = ".entry";
  private static final String KEY_FILE = "key";
  private static final Duration STALE_TEMP = Duration.ofHours(1);

  /** Entries kept at most, whatever their size; beyond it the oldest are evicted. */
  static final int MAX_ENTRIES = 10_000;

  /** What a stored entry holds. */
  record Entry(int interpretedFunctions, byte[] classes) {}

  private final Path dir;
  private final long maxBytes;
  private final byte[] key;
  private final AtomicLong hits = new AtomicLong();
  private final AtomicLong misses = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong evicted = new AtomicLong();

  /**
   * Opens (creating if needed) the store in {@code dir}, bounded to {@code maxBytes} of entries.
   *
   * @throws UncheckedIOException if the directory or its key cannot be created or read
   */
  CompiledModuleStore(Path dir, long maxBytes) {
    if (maxBytes < 0) {
      throw new IllegalArgumentException("maxBytes must not be negative");
    }
    this.dir = dir;
    this.maxBytes = maxBytes;
    try {
      Files.createDirectories(dir);
      this.key = loadOrCreateKey(dir.resolve(KEY_FILE));
    } catch (IOException e) {
      throw new UncheckedIOException("compiled-module cache " + dir + ": " + e.getMessage(), e);
    }
  }

  Path directory() {
    return dir;
  }

  /**
   * The key of a compiled module: its hash, the engine version and the compiler settings, so a
   * different Chicory or different settings never load another's classes.
   */
  static String keyOf(String moduleHash, String engineVersion, String settings) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String part :
          List.of("phase-compiled-v" + FORMAT, moduleHash, engineVersion, settings)) {
        sha.update(part.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  /** The entry under {@code key}, if present and intact; a damaged one is deleted. */
  Optional<Entry> get(String key) {
    Path file = dir.resolve(requireKey(key) + SUFFIX);
    byte[] bytes;
    try {
      long size = Files.size(file);
      if (size > maxBytes || size > Integer.MAX_VALUE - 16) {
        return reject(file, "larger than the cache bound");
      }
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      misses.incrementAndGet();
      return Optional.empty();
    } catch (IOException | OutOfMemoryError e) {
      return reject(file, "unreadable: " + e);
    }
    if (bytes.length < HEADER_BYTES + MAC_BYTES) {
      return reject(file, "truncated");
    }
    byte[] expected = mac(bytes, 0, bytes.length - MAC_BYTES);
    byte[] actual = java.util.Arrays.copyOfRange(bytes, bytes.length - MAC_BYTES, bytes.length);
    if (!MessageDigest.isEqual(expected, actual)) {
      return reject(file, "its HMAC does not verify (tampered, truncated or another key)");
    }
    ByteBuffer in = ByteBuffer.wrap(bytes, 0, bytes.length - MAC_BYTES);
    if (in.getInt() != MAGIC || in.getInt() != FORMAT) {
      return reject(file, "unknown format");
    }
    byte[] storedKey = new byte[64];
    in.get(storedKey);
    if (!key.equals(new String(storedKey, StandardCharsets.US_ASCII))) {
      return reject(file, "stored under another key");
    }
    int interpreted = in.getInt();
    int length = in.getInt();
    if (interpreted < 0 || length < 0 || length != in.remaining()) {
      return reject(file, "inconsistent lengths");
    }
    byte[] classes = new byte[length];
    in.get(classes);
    touch(file);
    hits.incrementAndGet();
    return Optional.of(new Entry(interpreted, classes));
  }

  /**
   * Stores {@code entry} under {@code key} (atomically replacing any older one), then trims the
   * directory to its bound. An entry larger than the whole bound is not stored. I/O failures are
   * logged, not thrown: the cache only ever saves time.
   */
  void put(String key, Entry entry) {
    requireKey(key);
    long size = (long) HEADER_BYTES + entry.classes().length + MAC_BYTES;
    if (size > maxBytes) {
      LOG.info("sandbox_compiled_cache_skip key={} bytes={} bound={}", key, size, maxBytes);
      return;
    }
    ByteBuffer out = ByteBuffer.allocate((int) size);
    out.putInt(MAGIC).putInt(FORMAT);
    out.put(key.getBytes(StandardCharsets.US_ASCII));
    out.putInt(entry.interpretedFunctions()).putInt(entry.classes().length);
    out.put(entry.classes());
    out.put(mac(out.array(), 0, out.position()));
    Path target = dir.resolve(key + SUFFIX);
    Path temp = null;
    try {
      temp = Files.createTempFile(dir, key + ".", ".tmp");
      Files.write(temp, out.array());
      moveIntoPlace(temp, target);
      temp = null;
    } catch (IOException e) {
      LOG.warn("sandbox_compiled_cache_write_failed dir={} error=\"{}\"", dir, e.toString());
    } finally {
      deleteQuietly(temp);
    }
    trim();
  }

  long hits() {
    return hits.get();
  }

  long misses() {
    return misses.get();
  }

  /** Entries found damaged or tampered with, and deleted. */
  long rejected() {
    return rejected.get();
  }

  long evicted() {
    return evicted.get();
  }

  /** Deletes least recently used entries until the total fits the bound; drops stale temp files. */
  synchronized void trim() {
    List<Path> entries = new ArrayList<>();
    Instant staleBefore = Instant.now().minus(STALE_TEMP);
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      for (Path p : stream) {
        String name = p.getFileName().toString();
        if (name.endsWith(SUFFIX)) {
          entries.add(p);
        } else if (name.endsWith(".tmp") && modified(p).toInstant().isBefore(staleBefore)) {
          deleteQuietly(p);
        }
      }
    } catch (IOException e) {
      LOG.warn("sandbox_compiled_cache_list_failed dir={} error=\"{}\"", dir, e.toString());
      return;
    }
    record Sized(Path path, long size, FileTime modified) {}
    List<Sized> sized = new ArrayList<>();
    long total = 0;
    for (Path p : entries) {
      try {
        long size = Files.size(p);
        sized.add(new Sized(p, size, modified(p)));
        total += size;
      } catch (IOException e) {
        // Removed meanwhile by another process.
      }
    }
    sized.sort(Comparator.comparing(Sized::modified));
    // Every entry counts (a cap on the listing would let entries past it escape the bound); the
    // oldest go until both the size and the count fit.
    int count = sized.size();
    for (int i = 0; i < sized.size() && (total > maxBytes || count > MAX_ENTRIES); i++) {
      Sized oldest = sized.get(i);
      deleteQuietly(oldest.path());
      total -= oldest.size();
      count--;
      evicted.incrementAndGet();
      LOG.info(
          "sandbox_compiled_cache_evicted entry={} bytes={}",
          oldest.path().getFileName(),
          oldest.size());
    }
  }

  private Optional<Entry> reject(Path file, String why) {
    rejected.incrementAndGet();
    LOG.warn("sandbox_compiled_cache_rejected entry={} reason=\"{}\"", file.getFileName(), why);
    deleteQuietly(file);
    return Optional.empty();
  }

  private byte[] mac(byte[] bytes, int offset, int length) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update(bytes, offset, length);
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
    }
  }

  private static String requireKey(String key) {
    if (key == null || key.length() != 64 || !key.chars().allMatch(CompiledModuleStore::isHex)) {
      throw new IllegalArgumentException("cache keys are 64 lowercase hex digits");
    }
    return key;
  }

  private static boolean isHex(int c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  }

  /**
   * The per-machine HMAC key: read if present (exactly 32 bytes), otherwise created with mode 0600
   * and linked into place only if no other process got there first.
   */
  private static byte[] loadOrCreateKey(Path file) throws IOException {
    for (int attempt = 0; attempt < 3; attempt++) {
      if (Files.exists(file)) {
        if (Files.size(file) != KEY_BYTES) {
          throw new IOException(file + " is not a " + KEY_BYTES + "-byte key; delete it");
        }
        return Files.readAllBytes(file);
      }
      byte[] fresh = new byte[KEY_BYTES];
      new SecureRandom().nextBytes(fresh);
      Path temp = null;
      try {
        temp =
            Files.createTempFile(
                file.getParent(),
                "key.",
                ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(temp, fresh);
        Files.createLink(file, temp);
        return fresh;
      } catch (FileAlreadyExistsException raced) {
        // Another process created it first: use theirs.
      } finally {
        deleteQuietly(temp);
      }
    }
    throw new IOException("cannot create " + file);
  }

  private static void moveIntoPlace(Path temp, Path target) throws IOException {
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static void touch(Path file) {
    try {
      Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
    } catch (IOException e) {
      // Only the eviction order suffers.
    }
  }

  private static FileTime modified(Path p) {
    try {
      return Files.getLastModifiedTime(p);
    } catch (IOException e) {
      return FileTime.fromMillis(0);
    }
  }

  private static void deleteQuietly(Path p) {
    if (p == null) {
      return;
    }
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      LOG.debug("sandbox_compiled_cache_delete_failed path={}", p);
    }
  }
}
