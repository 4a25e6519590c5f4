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
}
