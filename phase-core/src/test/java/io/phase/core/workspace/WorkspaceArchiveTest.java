package io.phase.core.workspace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkspaceArchiveTest {
  @TempDir Path host;
  @TempDir Path outside;
  FileSystem guest;
  Path target;

  @BeforeEach
  void guestFs() throws IOException {
    guest =
        Jimfs.newFileSystem(
            Configuration.unix().toBuilder().setAttributeViews("basic", "posix").build());
    target = Files.createDirectories(guest.getPath("/work"));
  }

  @AfterEach
  void closeGuest() throws IOException {
    guest.close();
  }

  byte[] pack(long maxBytes, int maxEntries) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    WorkspaceArchive.Packed packed = WorkspaceArchive.pack(host, maxBytes, maxEntries, out);
    assertEquals(out.size(), packed.archiveBytes());
    return out.toByteArray();
  }

  @Test
  void packThenUnpackReproducesTheTree() throws Exception {
    Files.createDirectories(host.resolve("src/deep/er"));
    Files.writeString(host.resolve("src/a.txt"), "hello");
    Files.writeString(host.resolve("src/deep/er/é.bin"), "x".repeat(200_000));
    Files.createFile(host.resolve("empty"));
    Files.createDirectory(host.resolve("emptydir"));
    Path script = Files.writeString(host.resolve("run.sh"), "#!/bin/sh\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-x---"));

    byte[] archive = pack(1 << 20, 100);
    assertArrayEquals(archive, pack(1 << 20, 100), "packing is deterministic");

    WorkspaceUnpacker unpacker = new WorkspaceUnpacker(target, 1 << 20, 100);
    for (int i = 0; i < archive.length; i += 777) {
      unpacker.accept(java.util.Arrays.copyOfRange(archive, i, Math.min(archive.length, i + 777)));
    }
    unpacker.finish();
    assertEquals(8, unpacker.entries());
    assertEquals(200_015, unpacker.fileBytes());
    assertEquals("hello", Files.readString(target.resolve("src/a.txt")));
    assertEquals("x".repeat(200_000), Files.readString(target.resolve("src/deep/er/é.bin")));
    assertEquals(0, Files.size(target.resolve("empty")));
    assertTrue(Files.isDirectory(target.resolve("emptydir")));
    assertEquals(
        "rwxr-x---",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(target.resolve("run.sh"))));
  }

  @Test
  void packRefusesLinksAndCaps() throws Exception {
    Files.writeString(outside.resolve("secret"), "s");
    Files.createDirectory(host.resolve("d"));
    Files.createSymbolicLink(host.resolve("d/link"), outside.resolve("secret"));
    WorkspaceException e = assertThrows(WorkspaceException.class, () -> pack(1 << 20, 100));
    assertTrue(e.getMessage().contains("d/link is a symbolic link"), e.getMessage());
    Files.delete(host.resolve("d/link"));
    Files.createSymbolicLink(host.resolve("dirlink"), outside);
    assertThrows(WorkspaceException.class, () -> pack(1 << 20, 100));
    Files.delete(host.resolve("dirlink"));

    Files.write(host.resolve("d/big"), new byte[1000]);
    assertTrue(
        assertThrows(WorkspaceException.class, () -> pack(999, 100))
            .getMessage()
            .contains("larger than the limit"));
    assertTrue(
        assertThrows(WorkspaceException.class, () -> pack(1 << 20, 1))
            .getMessage()
            .contains("more than 1 entries"));
    assertEquals(2 + 1000, pack(1000, 2).length - headerBytes("d", "d/big") + 2);
  }

  @Test
  void packRefusesAWorkspaceThatIsALink() throws Exception {
    Path link = outside.resolve("ws");
    Files.createSymbolicLink(link, host);
    assertThrows(
        WorkspaceException.class,
        () -> WorkspaceArchive.pack(link, 100, 10, new ByteArrayOutputStream()));
  }

  /** Bytes of an archive minus file contents, for two entries (a directory, a file). */
  static int headerBytes(String dir, String file) {
    return 5 + (1 + 2 + dir.length() + 2) + (1 + 2 + file.length() + 2 + 8) + 1;
  }

  String refusal(byte[] archive) {
    return refusal(archive, 1 << 20, 100);
  }

  int attempts;

  /** Unpacks into a fresh directory and returns why it was refused. */
  String refusal(byte[] archive, long maxBytes, int maxEntries) {
    Path fresh;
    try {
      fresh = Files.createDirectory(guest.getPath("/attempt" + attempts++));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return assertThrows(
            WorkspaceException.class,
            () -> WorkspaceUnpacker.unpack(archive, fresh, maxBytes, maxEntries))
        .getMessage();
  }

  @Test
  void hostileArchivesAreRefused() throws Exception {
    byte[] one = {1};
    assertTrue(refusal(new RawArchive().file("/etc/passwd", one).end()).contains("absolute"));
    assertTrue(refusal(new RawArchive().file("../escape", one).end()).contains("'..'"));
    assertTrue(
        refusal(new RawArchive().dir("a").file("a/../../escape", one).end()).contains("'..'"));
    assertTrue(refusal(new RawArchive().file("./x", one).end()).contains("'.'"));
    assertTrue(
        refusal(new RawArchive().dir("a").file("a//b", one).end()).contains("empty component"));
    assertTrue(refusal(new RawArchive().file("a\\..\\b", one).end()).contains("'\\\\'"));
    assertTrue(refusal(new RawArchive().file("C:x", one).end()).contains("':'"));
    assertTrue(refusal(new RawArchive().file("nul\0x", one).end()).contains("control"));
    assertTrue(
        refusal(new RawArchive().entry(2, new byte[] {(byte) 0xc0, (byte) 0xaf}, 0644).end())
            .contains("UTF-8"));
    assertTrue(refusal(new RawArchive().file("a/b", one).end()).contains("before its directory"));
    assertTrue(refusal(new RawArchive().file("x", one).file("x", one).end()).contains("twice"));
    assertTrue(refusal(new RawArchive().dir("x").dir("x").end()).contains("twice"));
    assertTrue(
        refusal(new RawArchive().entry(3, "link".getBytes(StandardCharsets.UTF_8), 0777).end())
            .contains("not a file or directory"));
    assertTrue(
        refusal(new RawArchive().entry(1, "suid".getBytes(StandardCharsets.UTF_8), 04755).end())
            .contains("only permission bits"));
    assertTrue(
        refusal(new RawArchive().file("big", new byte[101]).end(), 100, 10)
            .contains("larger than"));
    assertTrue(
        refusal(new RawArchive().file("a", new byte[60]).file("b", new byte[60]).end(), 100, 10)
            .contains("larger than"));
    assertTrue(
        refusal(new RawArchive().dir("a").dir("b").dir("c").end(), 100, 2).contains("more than 2"));
    byte[] trailing = new RawArchive().file("x", one).end();
    byte[] withJunk = java.util.Arrays.copyOf(trailing, trailing.length + 1);
    assertTrue(refusal(withJunk).contains("after its end marker"));
    byte[] whole = new RawArchive().file("x", new byte[10]).end();
    assertTrue(refusal(java.util.Arrays.copyOf(whole, whole.length - 3)).contains("truncated"));
    assertTrue(refusal("PHWS\2\0".getBytes(StandardCharsets.US_ASCII)).contains("magic"));
    assertTrue(refusal(new RawArchive().entry(2, new byte[0], 0).end()).contains("path length 0"));
    assertTrue(
        refusal(
                new RawArchive()
                    .entry(1, "d".repeat(1025).getBytes(StandardCharsets.UTF_8), 0)
                    .end())
            .contains("path length 1025"));
    StringBuilder deep = new StringBuilder();
    RawArchive nested = new RawArchive();
    for (int i = 0; i < 65; i++) {
      deep.append(i == 0 ? "" : "/").append('d');
      nested.dir(deep.toString());
    }
    assertTrue(refusal(nested.end(), 100, 1000).contains("deeper than 64"));
    // a huge declared size is refused before any byte of it is expected
    RawArchive huge = new RawArchive().entry(2, "h".getBytes(StandardCharsets.UTF_8), 0644);
    huge.out.writeLong(Long.MAX_VALUE);
    assertTrue(refusal(huge.bytes.toByteArray()).contains("larger than"));
  }

  @Test
  void unpackTargetMustBeEmptyAndFailureIsSticky() throws Exception {
    Files.createFile(target.resolve("existing"));
    assertThrows(WorkspaceException.class, () -> new WorkspaceUnpacker(target, 10, 10));
    Path fresh = Files.createDirectory(guest.getPath("/fresh"));
    WorkspaceUnpacker u = new WorkspaceUnpacker(fresh, 10, 10);
    assertThrows(
        WorkspaceException.class, () -> u.accept("nope!".getBytes(StandardCharsets.UTF_8)));
    assertThrows(WorkspaceException.class, () -> u.accept(new RawArchive().end()));
    assertFalse(Files.exists(fresh.resolve("x")));
    List<Path> none;
    try (var s = Files.list(fresh)) {
      none = s.toList();
    }
    assertEquals(List.of(), none);
  }
}
