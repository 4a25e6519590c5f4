package io.phase.core.workspace;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The content address of a file tree: a Merkle digest over every entry's name, kind, mode and
 * contents (docs/protocol.md, "Input trees"). Fed the entries of a {@link WorkspaceArchive} in
 * archive order (each entry after its directory) by a {@link WorkspaceUnpacker}; two archives of
 * the same tree give the same digest whatever their entry order.
 *
 * <pre>
 * file  = SHA-256("phase-tree:v1:file\0" || contents)
 * dir   = SHA-256("phase-tree:v1:dir\0" || child*)      children sorted by name bytes
 * child = kind u8 (1 dir, 2 file) || mode u16be || u16be len(name) || name || size u64be
 *         (file size; 0 for a directory) || the child's 32-byte digest
 * root  = "sha256:" || hex(dir digest of the tree's top directory)
 * </pre>
 */
public final class TreeDigest {
  private static final byte[] FILE_DOMAIN = "phase-tree:v1:file\0".getBytes(StandardCharsets.UTF_8);
  private static final byte[] DIR_DOMAIN = "phase-tree:v1:dir\0".getBytes(StandardCharsets.UTF_8);

  private record Child(byte[] name, int kind, int mode, long size, String rel) {}

  private final Map<String, List<Child>> children = new HashMap<>();
  private final Map<String, byte[]> fileDigests = new HashMap<>();
  private MessageDigest file;
  private String fileRel;
  private String result;

  public TreeDigest() {
    children.put("", new ArrayList<>());
  }

  void directory(String rel, int mode) {
    addChild(rel, WorkspaceArchive.KIND_DIRECTORY, mode, 0);
    children.put(rel, new ArrayList<>());
  }

  void fileStart(String rel, int mode, long size) {
    addChild(rel, WorkspaceArchive.KIND_FILE, mode, size);
    file = sha256();
    file.update(FILE_DOMAIN);
    fileRel = rel;
  }

  void fileData(byte[] data, int offset, int length) {
    file.update(data, offset, length);
  }

  void fileEnd() {
    fileDigests.put(fileRel, file.digest());
    file = null;
  }

  private void addChild(String rel, int kind, int mode, long size) {
    int slash = rel.lastIndexOf('/');
    String parent = slash < 0 ? "" : rel.substring(0, slash);
    byte[] name = rel.substring(slash + 1).getBytes(StandardCharsets.UTF_8);
    children.get(parent).add(new Child(name, kind, mode, size, rel));
  }

  /** The digest, {@code sha256:<64 hex>}, once the whole archive was fed. */
  public String digest() {
    if (result == null) {
      result = "sha256:" + HexFormat.of().formatHex(directoryDigest(""));
    }
    return result;
  }

  private byte[] directoryDigest(String rel) {
    List<Child> list = children.get(rel);
    list.sort((a, b) -> Arrays.compareUnsigned(a.name(), b.name()));
    MessageDigest dir = sha256();
    dir.update(DIR_DOMAIN);
    for (Child c : list) {
      byte[] digest =
          c.kind() == WorkspaceArchive.KIND_DIRECTORY
              ? directoryDigest(c.rel())
              : fileDigests.get(c.rel());
      ByteBuffer header = ByteBuffer.allocate(1 + 2 + 2 + c.name().length + 8);
      header.put((byte) c.kind()).putShort((short) c.mode()).putShort((short) c.name().length);
      header.put(c.name()).putLong(c.size());
      dir.update(header.array());
      dir.update(digest);
    }
    return dir.digest();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
