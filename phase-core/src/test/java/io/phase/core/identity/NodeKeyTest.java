package io.phase.core.identity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phase.p2p.crypto.Ed25519PrivateKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeKeyTest {

  @TempDir Path tmp;

  @Test
  void createsWith0600InA0700DirectoryAndReloadsTheSameIdentity() throws Exception {
    Path path = tmp.resolve("config").resolve("phase").resolve("node.key");
    NodeKey created = NodeKey.loadOrCreate(path);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(path)));
    assertEquals(
        "rwx------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(path.getParent())));
    assertEquals(68, Files.size(path));
    try (var files = Files.list(path.getParent())) {
      assertEquals(List.of(path), files.toList(), "no temp file left behind");
    }
    NodeKey loaded = NodeKey.load(path);
    NodeKey again = NodeKey.loadOrCreate(path);
    assertEquals(created.peerId(), loaded.peerId());
    assertEquals(created.peerId(), again.peerId());
    assertTrue(created.peerId().toString().startsWith("12D3KooW"));
    byte[] message = {1, 2, 3};
    assertTrue(loaded.publicKey().verify(message, created.sign(message)));
    assertArrayEquals(created.privateKey().marshal(), Files.readAllBytes(path));
  }

  @Test
  void loadsAKeyWrittenByAnotherImplementation() throws Exception {
    // libp2p peer-ids spec vector, as go/rust-libp2p store it.
    Path path = tmp.resolve("node.key");
    Files.write(
        path,
        java.util.HexFormat.of()
            .parseHex(
                "080112407e0830617c4a7de83925dfb2694556b12936c477a0e1feb2e148ec9da60fee7d"
                    + "1ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e"));
    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
    assertEquals(
        "12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq",
        NodeKey.load(path).peerId().toString());
  }

  @Test
  void refusesGroupOrWorldAccessibleFiles() throws Exception {
    Path path = tmp.resolve("node.key");
    NodeKey.loadOrCreate(path);
    for (String mode : List.of("rw-r--r--", "rw----r--", "rw-rw----", "rw-----w-")) {
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
      KeyFileException e = assertThrows(KeyFileException.class, () -> NodeKey.load(path));
      assertTrue(e.getMessage().contains("chmod 600"), e.getMessage());
      assertThrows(KeyFileException.class, () -> NodeKey.loadOrCreate(path));
    }
  }

  @Test
  void refusesSymlinksEvenToAGoodKey() throws Exception {
    Path real = tmp.resolve("real.key");
    NodeKey.loadOrCreate(real);
    Path link = Files.createSymbolicLink(tmp.resolve("node.key"), real);
    KeyFileException e = assertThrows(KeyFileException.class, () -> NodeKey.load(link));
    assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
    assertThrows(KeyFileException.class, () -> NodeKey.loadOrCreate(link));
    Path dangling = Files.createSymbolicLink(tmp.resolve("dangling.key"), tmp.resolve("nowhere"));
    assertThrows(KeyFileException.class, () -> NodeKey.loadOrCreate(dangling));
    assertTrue(Files.notExists(tmp.resolve("nowhere")), "must not create through a symlink");
  }

  @Test
  void refusesGarbageDirectoriesAndOversizedFiles() throws Exception {
    Path garbage = tmp.resolve("garbage.key");
    Files.write(garbage, new byte[] {8, 1, 18, 64, 1, 2, 3});
    Files.setPosixFilePermissions(garbage, PosixFilePermissions.fromString("rw-------"));
    KeyFileException e = assertThrows(KeyFileException.class, () -> NodeKey.load(garbage));
    assertTrue(e.getMessage().contains("malformed"), e.getMessage());

    Path rsa = tmp.resolve("rsa.key");
    byte[] wrongType = Ed25519PrivateKey.generate().marshal();
    wrongType[1] = 0;
    Files.write(rsa, wrongType);
    Files.setPosixFilePermissions(rsa, PosixFilePermissions.fromString("rw-------"));
    assertThrows(KeyFileException.class, () -> NodeKey.load(rsa));

    Path big = tmp.resolve("big.key");
    Files.write(big, new byte[NodeKey.MAX_FILE_BYTES + 1]);
    Files.setPosixFilePermissions(big, PosixFilePermissions.fromString("rw-------"));
    e = assertThrows(KeyFileException.class, () -> NodeKey.load(big));
    assertTrue(e.getMessage().contains("too large"), e.getMessage());

    Path dir = Files.createDirectory(tmp.resolve("dir.key"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    assertThrows(KeyFileException.class, () -> NodeKey.load(dir));

    assertThrows(KeyFileException.class, () -> NodeKey.load(tmp.resolve("missing.key")));
  }

  @Test
  void distinctFilesGiveDistinctIdentities() throws Exception {
    assertNotEquals(
        NodeKey.loadOrCreate(tmp.resolve("a.key")).peerId(),
        NodeKey.loadOrCreate(tmp.resolve("b.key")).peerId());
  }

  @Test
  void defaultPathEndsInPhaseNodeKey() {
    Path path = NodeKey.defaultPath();
    assertTrue(path.isAbsolute());
    assertTrue(path.endsWith(Path.of("phase", "node.key")), path.toString());
  }

  @Test
  void removesTempFilesACrashedCreationLeftAndNothingElse() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("keys"));
    Path path = dir.resolve("node.key");
    byte[] secret = Ed25519PrivateKey.generate().marshal();
    // As the old code named them (Files.createTempFile(dir, ".node.key.", ".tmp")) ...
    Path legacy = Files.write(dir.resolve(".node.key.8812734691287346.tmp"), secret);
    // ... and as the current code names them.
    Path current = Files.write(dir.resolve(".node.key.0123456789abcdef.tmp"), secret);
    // Not ours: another key's temp, a look-alike, a symlink with our pattern, a directory.
    Path otherKey = Files.write(dir.resolve(".other.key.0123456789abcdef.tmp"), secret);
    Path lookAlike = Files.write(dir.resolve(".node.key.notmine.tmp"), secret);
    Path target = Files.write(tmp.resolve("target"), secret);
    Path link = Files.createSymbolicLink(dir.resolve(".node.key.fedcba9876543210.tmp"), target);
    Path subdir = Files.createDirectory(dir.resolve(".node.key.1111111111111111.tmp"));

    NodeKey.loadOrCreate(path);

    assertTrue(Files.notExists(legacy), "legacy temp removed");
    assertTrue(Files.notExists(current), "current temp removed");
    assertTrue(Files.exists(otherKey));
    assertTrue(Files.exists(lookAlike));
    assertTrue(Files.isSymbolicLink(link), "symlink left alone");
    assertTrue(Files.exists(target), "symlink target untouched");
    assertTrue(Files.isDirectory(subdir));
    try (var files = Files.list(dir)) {
      assertEquals(
          5,
          files.count(),
          "key + four foreign entries, no temp of ours: " + List.of(dir.toFile().list()));
    }
  }

  @Test
  void removesStaleTempsAlsoWhenTheKeyAlreadyExists() throws Exception {
    Path path = tmp.resolve("my.key");
    NodeKey created = NodeKey.loadOrCreate(path);
    Path stale = Files.write(tmp.resolve(".my.key.00000000deadbeef.tmp"), new byte[68]);
    assertEquals(created.peerId(), NodeKey.loadOrCreate(path).peerId());
    assertTrue(Files.notExists(stale));
    try (var files = Files.list(tmp)) {
      assertEquals(List.of(path), files.toList());
    }
  }

  @Test
  void recognisesOnlyItsOwnTempNames() {
    assertTrue(NodeKey.isTempOf("node.key", ".node.key.0123456789abcdef.tmp"));
    assertTrue(NodeKey.isTempOf("node.key", ".node.key.123.tmp"));
    assertTrue(NodeKey.isTempOf("k", ".k.0123456789abcdef.tmp"));
    assertTrue(!NodeKey.isTempOf("k", ".k.123.tmp"), "decimal names only for node.key");
    assertTrue(!NodeKey.isTempOf("k", ".k.0123456789abcdeg.tmp"));
    assertTrue(!NodeKey.isTempOf("k", "k.0123456789abcdef.tmp"));
    assertTrue(!NodeKey.isTempOf("k", ".k.0123456789abcdef.tmp.bak"));
    assertTrue(!NodeKey.isTempOf("node.key", ".node.key..tmp"));
  }

  @Test
  void tempNamesAreSiblingsMatchingTheCleanupPattern() {
    Path path = tmp.resolve("a.key");
    Path temp = NodeKey.tempName(path);
    assertEquals(tmp.toAbsolutePath(), temp.getParent());
    assertTrue(NodeKey.isTempOf("a.key", temp.getFileName().toString()), temp.toString());
  }
}
