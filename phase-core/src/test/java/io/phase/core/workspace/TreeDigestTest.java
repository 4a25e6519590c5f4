package io.phase.core.workspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Merkle digest of input trees, as docs/protocol.md specifies it. */
class TreeDigestTest {
  static final long MAX = 1 << 20;

  @TempDir Path dir;

  static String digest(byte[] archive) throws WorkspaceException {
    return WorkspaceUnpacker.digestOf(archive, MAX, 1000);
  }

  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void matchesTheSpecificationByHand() throws Exception {
    byte[] archive = new RawArchive().dir("d").file("d/f", b("hi")).file("a", b("")).end();
    byte[] f = sha("phase-tree:v1:file\0hi");
    byte[] a = sha("phase-tree:v1:file\0");
    ByteArrayOutputStream dBody = new ByteArrayOutputStream();
    DataOutputStream d = new DataOutputStream(dBody);
    d.write(b("phase-tree:v1:dir\0"));
    child(d, 2, 0644, "f", 2, f);
    byte[] dDigest = MessageDigest.getInstance("SHA-256").digest(dBody.toByteArray());
    ByteArrayOutputStream rootBody = new ByteArrayOutputStream();
    DataOutputStream r = new DataOutputStream(rootBody);
    r.write(b("phase-tree:v1:dir\0"));
    child(r, 2, 0644, "a", 0, a); // "a" < "d": sorted by name bytes
    child(r, 1, 0755, "d", 0, dDigest);
    String expected =
        "sha256:"
            + HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(rootBody.toByteArray()));
    assertEquals(expected, digest(archive));
  }

  private static void child(
      DataOutputStream out, int kind, int mode, String name, long size, byte[] digest)
      throws Exception {
    out.writeByte(kind);
    out.writeShort(mode);
    out.writeShort(name.length());
    out.write(b(name));
    out.writeLong(size);
    out.write(digest);
  }

  private static byte[] sha(String s) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(b(s));
  }

  @Test
  void entryOrderDoesNotMatterButNamesContentsAndModesDo() throws Exception {
    String base = digest(new RawArchive().dir("x").file("x/1", b("one")).file("y", b("2")).end());
    assertEquals(
        base, digest(new RawArchive().file("y", b("2")).dir("x").file("x/1", b("one")).end()));
    assertNotEquals(
        base, digest(new RawArchive().dir("x").file("x/1", b("onE")).file("y", b("2")).end()));
    assertNotEquals(
        base, digest(new RawArchive().dir("x").file("x/2", b("one")).file("y", b("2")).end()));
    RawArchive executable = new RawArchive().dir("x").file("x/1", b("one"));
    executable.entry(2, b("y"), 0755);
    executable.out.writeLong(1);
    executable.out.write(b("2"));
    assertNotEquals(base, digest(executable.end()));
    // A file moved into a directory of the same name is another tree.
    assertNotEquals(
        digest(new RawArchive().file("a", b("")).end()), digest(new RawArchive().dir("a").end()));
  }

  @Test
  void hostDirectoryDigestEqualsItsArchivesDigest() throws Exception {
    Files.createDirectories(dir.resolve("share/techlibs"));
    Files.writeString(dir.resolve("share/techlibs/cells.v"), "module x; endmodule");
    Files.writeString(dir.resolve("share/README"), "tool data");
    Files.setPosixFilePermissions(
        dir.resolve("share/README"), PosixFilePermissions.fromString("rwxr-xr-x"));
    Path share = dir.resolve("share");
    byte[] archive = WorkspaceArchive.packToBytes(share, MAX, 100);
    assertEquals(digest(archive), WorkspaceArchive.treeDigest(share, MAX, 100));
    assertTrue(digest(archive).matches("sha256:[0-9a-f]{64}"));
  }

  @Test
  void checkerAppliesTheUnpackersRules() {
    var e =
        assertThrows(
            WorkspaceException.class,
            () -> digest(new RawArchive().file("../escape", b("x")).end()));
    assertTrue(e.getMessage().contains(".."), e.getMessage());
    assertThrows(
        WorkspaceException.class, () -> digest(new RawArchive().file("a/b", b("x")).end()));
    assertThrows(
        WorkspaceException.class,
        () -> WorkspaceUnpacker.digestOf(new RawArchive().file("big", new byte[11]).end(), 10, 5));
    assertThrows(
        WorkspaceException.class,
        () ->
            WorkspaceUnpacker.digestOf(
                new RawArchive().file("a", b("")).file("b", b("")).end(), 10, 1));
  }
}
