package io.phase.core.identity;

import io.phase.p2p.crypto.Ed25519PrivateKey;
import io.phase.p2p.crypto.Ed25519PublicKey;
import io.phase.p2p.peer.PeerId;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's Ed25519 identity key, persisted as the libp2p protobuf {@code PrivateKey} bytes.
 *
 * <p>The key file must be a regular file (not a symlink), at most {@link #MAX_FILE_BYTES} bytes,
 * and readable/writable by its owner only. New files are written atomically with mode 0600 from the
 * moment they exist, inside a directory created with mode 0700. POSIX file systems only. Instances
 * are immutable and thread-safe.
 */
public final class NodeKey {

  /** Largest key file accepted. */
  public static final int MAX_FILE_BYTES = 4096;

  private static final Logger LOG = LoggerFactory.getLogger(NodeKey.class);
  private static final Set<PosixFilePermission> FILE_MODE =
      PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> DIR_MODE =
      PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> FORBIDDEN =
      EnumSet.of(
          PosixFilePermission.GROUP_READ,
          PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.GROUP_EXECUTE,
          PosixFilePermission.OTHERS_READ,
          PosixFilePermission.OTHERS_WRITE,
          PosixFilePermission.OTHERS_EXECUTE);

  private final Ed25519PrivateKey privateKey;
  private final PeerId peerId;

  private NodeKey(Ed25519PrivateKey privateKey) {
    this.privateKey = privateKey;
    this.peerId = PeerId.fromPublicKey(privateKey.publicKey());
  }

  /** Wraps an existing private key (e.g. an ephemeral key in tests). */
  public static NodeKey of(Ed25519PrivateKey privateKey) {
    return new NodeKey(privateKey);
  }

  /** A fresh in-memory key that is never written anywhere. */
  public static NodeKey generate() {
    return new NodeKey(Ed25519PrivateKey.generate());
  }

  /** {@code $XDG_CONFIG_HOME/phase/node.key}, or {@code ~/.config/phase/node.key}. */
  public static Path defaultPath() {
    String xdg = System.getenv("XDG_CONFIG_HOME");
    // The XDG spec says relative values are invalid and must be ignored.
    Path base =
        xdg != null && !xdg.isEmpty() && Paths.get(xdg).isAbsolute()
            ? Paths.get(xdg)
            : Paths.get(System.getProperty("user.home"), ".config");
    return base.resolve("phase").resolve("node.key");
  }

  /**
   * Loads the key at {@code path}, or creates and stores a new one if nothing exists there.
   *
   * @throws KeyFileException if an existing file is unsafe or malformed, or writing fails
   */
  public static NodeKey loadOrCreate(Path path) throws KeyFileException {
    removeStaleTemps(path);
    if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return load(path);
    }
    NodeKey key = generate();
    try {
      if (!store(path, key.privateKey)) {
        LOG.info("node_key_exists path={} action=load", path);
        return load(path);
      }
    } catch (IOException e) {
      throw new KeyFileException(path, "cannot write key file: " + e.getMessage(), e);
    }
    LOG.info("node_key_created path={} peer_id={}", path, key.peerId);
    return key;
  }

  /**
   * Loads an existing key file.
   *
   * @throws KeyFileException if the file is missing, a symlink or not a regular file, group or
   *     world accessible, larger than {@link #MAX_FILE_BYTES}, or not an Ed25519 libp2p key
   */
  public static NodeKey load(Path path) throws KeyFileException {
    PosixFileAttributes attributes;
    try {
      attributes = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      throw new KeyFileException(path, "key file does not exist", e);
    } catch (UnsupportedOperationException e) {
      throw new KeyFileException(path, "file system has no POSIX permissions", e);
    } catch (IOException e) {
      throw new KeyFileException(path, "cannot read key file attributes: " + e.getMessage(), e);
    }
    if (attributes.isSymbolicLink()) {
      throw new KeyFileException(path, "key file is a symbolic link; refusing to follow it");
    }
    if (!attributes.isRegularFile()) {
      throw new KeyFileException(path, "key file is not a regular file");
    }
    Set<PosixFilePermission> loose = EnumSet.copyOf(FORBIDDEN);
    loose.retainAll(attributes.permissions());
    if (!loose.isEmpty()) {
      throw new KeyFileException(
          path,
          "key file is accessible by group or others (mode "
              + PosixFilePermissions.toString(attributes.permissions())
              + "); run: chmod 600 "
              + path);
    }
    if (attributes.size() > MAX_FILE_BYTES) {
      throw new KeyFileException(
          path, "key file too large: " + attributes.size() + " bytes, max " + MAX_FILE_BYTES);
    }
    byte[] bytes = readBounded(path);
    try {
      return new NodeKey(Ed25519PrivateKey.unmarshal(bytes));
    } catch (IllegalArgumentException e) {
      throw new KeyFileException(path, "malformed key file: " + e.getMessage(), e);
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  private static byte[] readBounded(Path path) throws KeyFileException {
    try (SeekableByteChannel channel =
            Files.newByteChannel(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        InputStream in = java.nio.channels.Channels.newInputStream(channel)) {
      byte[] bytes = in.readNBytes(MAX_FILE_BYTES + 1);
      if (bytes.length > MAX_FILE_BYTES) {
        Arrays.fill(bytes, (byte) 0);
        throw new KeyFileException(
            path, "key file too large: more than " + MAX_FILE_BYTES + " bytes");
      }
      return bytes;
    } catch (IOException e) {
      throw new KeyFileException(path, "cannot read key file: " + e.getMessage(), e);
    }
  }

  /** Most directory entries examined when looking for stale temp files. */
  private static final int MAX_DIR_SCAN = 10_000;

  /** Attempts to publish when a concurrent start removed our temp file. */
  private static final int MAX_STORE_ATTEMPTS = 3;

  private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

  /**
   * Whether {@code file} is a temp file of the key {@code keyName}: {@code .<name>.<16 hex>.tmp} as
   * written now, or {@code .node.key.<digits>.tmp} as {@code Files.createTempFile} named them
   * before (only for a key named {@code node.key}, the one name older versions used).
   */
  static boolean isTempOf(String keyName, String file) {
    String prefix = "." + keyName + ".";
    if (!file.startsWith(prefix) || !file.endsWith(".tmp")) {
      return false;
    }
    String middle = file.substring(prefix.length(), file.length() - ".tmp".length());
    if (middle.length() == 16 && middle.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
      return true;
    }
    return keyName.equals("node.key")
        && !middle.isEmpty()
        && middle.length() <= 20
        && middle.chars().allMatch(c -> c >= '0' && c <= '9');
  }

  /**
   * Deletes temp files a crashed key creation left next to {@code path}: only regular files (never
   * symlinks, never directories) whose names match {@link #isTempOf}. Best effort: failures are
   * logged and do not stop start-up.
   */
  static void removeStaleTemps(Path path) {
    Path dir = path.toAbsolutePath().getParent();
    Path name = path.getFileName();
    if (dir == null || name == null || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    String keyName = name.toString();
    int scanned = 0;
    try (java.nio.file.DirectoryStream<Path> entries =
        Files.newDirectoryStream(dir, "." + globEscape(keyName) + ".*.tmp")) {
      for (Path entry : entries) {
        if (++scanned > MAX_DIR_SCAN) {
          LOG.warn("node_key_temp_scan_truncated dir={} max={}", dir, MAX_DIR_SCAN);
          break;
        }
        if (!isTempOf(keyName, entry.getFileName().toString())
            || !Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        try {
          Files.deleteIfExists(entry);
          LOG.warn("node_key_stale_temp_removed path={}", entry);
        } catch (IOException e) {
          LOG.warn("node_key_stale_temp_remove_failed path={} error={}", entry, e.toString());
        }
      }
    } catch (IOException | java.nio.file.DirectoryIteratorException e) {
      LOG.warn("node_key_temp_scan_failed dir={} error={}", dir, e.toString());
    }
  }

  private static String globEscape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      if ("\\*?[]{}".indexOf(c) >= 0) {
        b.append('\\');
      }
      b.append(c);
    }
    return b.toString();
  }

  /** A fresh temp name for the key {@code path}: {@code .<name>.<16 hex>.tmp} in its directory. */
  static Path tempName(Path path) {
    Path dir = path.toAbsolutePath().getParent();
    return dir.resolve(
        "." + path.getFileName() + "." + String.format("%016x", RANDOM.nextLong()) + ".tmp");
  }

  /**
   * Writes the key to {@code path} without ever exposing it: a temp file in the same directory
   * created exclusively (O_CREAT|O_EXCL, never following a symlink) with mode 0600, fsync, then an
   * atomic no-replace publish (hard link, or an atomic rename where links are unsupported). The
   * temp name ({@code .<name>.<hex>.tmp}) is one {@link #removeStaleTemps} recognises, so a crash
   * between creation and clean-up leaves nothing behind after the next start.
   *
   * @return false if another process created {@code path} first (nothing was overwritten)
   */
  private static boolean store(Path path, Ed25519PrivateKey key) throws IOException {
    Path dir = path.toAbsolutePath().getParent();
    Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIR_MODE));
    byte[] bytes = key.marshal();
    try {
      for (int attempt = 1; ; attempt++) {
        Path temp = tempName(path);
        try {
          try (FileChannel channel =
              FileChannel.open(
                  temp,
                  Set.<java.nio.file.OpenOption>of(
                      StandardOpenOption.CREATE_NEW,
                      StandardOpenOption.WRITE,
                      LinkOption.NOFOLLOW_LINKS),
                  PosixFilePermissions.asFileAttribute(FILE_MODE))) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
              channel.write(buffer);
            }
            channel.force(true);
          }
          boolean published = publish(temp, path);
          fsyncDirectory(dir);
          return published;
        } catch (NoSuchFileException e) {
          // A concurrent start removed our temp file as stale before we published it.
          if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return false;
          }
          if (attempt >= MAX_STORE_ATTEMPTS) {
            throw e;
          }
        } finally {
          Files.deleteIfExists(temp);
        }
      }
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  private static boolean publish(Path temp, Path path) throws IOException {
    try {
      Files.createLink(path, temp);
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    } catch (UnsupportedOperationException | FileSystemException e) {
      if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
        return false;
      }
      Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE);
      return true;
    }
  }

  private static void fsyncDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      LOG.debug(
          "node_key_dir_fsync_unsupported dir={} error={}", dir, e.getClass().getSimpleName());
    }
  }

  /** The node's peer id. */
  public PeerId peerId() {
    return peerId;
  }

  /** The node's public key. */
  public Ed25519PublicKey publicKey() {
    return privateKey.publicKey();
  }

  /** The private key, for the transport handshake. Never log or serialise it. */
  public Ed25519PrivateKey privateKey() {
    return privateKey;
  }

  /** Signs {@code message} with the node key (Ed25519, 64-byte signature). */
  public byte[] sign(byte[] message) {
    return privateKey.sign(message);
  }

  @Override
  public String toString() {
    return "NodeKey[" + peerId + "]";
  }
}
