package io.phase.core.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phase.core.workspace.WorkspaceArchive;
import io.phase.core.workspace.WorkspaceUnpacker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worker's on-disk store of input trees: atomic, bounded, verified on every read. */
class InputTreeStoreTest {
  static final long MAX = 1 << 20;

  @TempDir Path store;
  @TempDir Path trees;

  record Tree(String digest, byte[] archive) {}

  Tree tree(String name, int size) throws Exception {
    Path root = trees.resolve(name);
    Files.createDirectories(root);
    Files.write(root.resolve("data.bin"), new byte[size]);
    Files.writeString(root.resolve("name.txt"), name);
    byte[] archive = WorkspaceArchive.packToBytes(root, MAX, 100);
    return new Tree(WorkspaceUnpacker.digestOf(archive, MAX, 100), archive);
  }

  InputTreeStore open(int entries, long bytes) throws Exception {
    return new InputTreeStore(store, entries, bytes, MAX, 100);
  }

  static Path file(Path dir, String digest) {
    return dir.resolve(digest.substring(7) + ".phws");
  }

  @Test
  void aClaimedSizeOtherThanTheStoredOneIsNotHeldAndNothingIsRead() throws Exception {
    Tree a = tree("a", 1000);
    InputTreeStore s = open(8, MAX);
    s.put(a.digest(), a.archive());
    assertTrue(s.get(a.digest(), 6).isEmpty(), "a small claim for a larger stored tree");
    assertEquals(0, s.corrupt(), "not a corrupt entry: it stays");
    assertArrayEquals(a.archive(), s.get(a.digest(), a.archive().length).orElseThrow());
  }

  @Test
  void storesAtomicallyAndSurvivesARestart() throws Exception {
    Tree a = tree("a", 1000);
    InputTreeStore s = open(8, MAX);
    assertTrue(s.get(a.digest()).isEmpty());
    s.put(a.digest(), a.archive());
    assertArrayEquals(a.archive(), s.get(a.digest()).orElseThrow());
    assertEquals(1, s.stored());
    try (var files = Files.list(store)) {
      assertEquals(List.of(file(store, a.digest())), files.toList(), "no temporary file left");
    }
    Files.writeString(store.resolve(a.digest().substring(7) + ".phws.123.tmp"), "cut short");
    InputTreeStore again = open(8, MAX);
    assertArrayEquals(a.archive(), again.get(a.digest()).orElseThrow());
    assertFalse(Files.exists(store.resolve(a.digest().substring(7) + ".phws.123.tmp")));
  }

  @Test
  void tamperedEntryIsDetectedDeletedAndReportedMissing() throws Exception {
    Tree a = tree("a", 1000);
    InputTreeStore s = open(8, MAX);
    s.put(a.digest(), a.archive());
    byte[] tampered = a.archive().clone();
    tampered[30] ^= 1; // a byte of data.bin (magic 5 + header 21 bytes before it), same size
    Files.write(file(store, a.digest()), tampered);
    assertEquals(Optional.empty(), s.get(a.digest()));
    assertEquals(1, s.corrupt());
    assertFalse(Files.exists(file(store, a.digest())), "the bad entry is deleted");
    assertFalse(s.contains(a.digest()));

    s.put(a.digest(), a.archive()); // refetched
    Files.write(file(store, a.digest()), new byte[] {'P', 'H'}); // truncated
    assertEquals(Optional.empty(), s.get(a.digest()));
    assertEquals(2, s.corrupt());
  }

  @Test
  void evictsLeastRecentlyUsedBySizeAndDeletesTheFiles() throws Exception {
    Tree a = tree("a", 4000);
    Tree b = tree("b", 4000);
    Tree c = tree("c", 4000);
    long room = a.archive().length + b.archive().length + 100;
    InputTreeStore s = open(8, room);
    s.put(a.digest(), a.archive());
    s.put(b.digest(), b.archive());
    assertTrue(s.get(a.digest()).isPresent()); // a is now the most recently used
    s.put(c.digest(), c.archive());
    assertTrue(s.contains(a.digest()));
    assertFalse(s.contains(b.digest()), "b was least recently used");
    assertFalse(Files.exists(file(store, b.digest())));
    assertTrue(Files.exists(file(store, c.digest())));
    assertEquals(2, s.size());
  }
}
