package io.phase.core.sandbox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The on-disk store of compiled modules: intact entries come back, damaged ones never do. */
class CompiledModuleStoreTest {
  @TempDir Path dir;

  static String key(String name) {
    return CompiledModuleStore.keyOf("sha256:" + name, "1.7.5", "test");
  }

  static byte[] classes(int size, int seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  @Test
  void entryWrittenByOneStoreIsReadByAnother() {
    byte[] jar = classes(10_000, 1);
    new CompiledModuleStore(dir, 1 << 20).put(key("a"), new CompiledModuleStore.Entry(3, jar));
    var other = new CompiledModuleStore(dir, 1 << 20);
    var entry = other.get(key("a")).orElseThrow();
    assertEquals(3, entry.interpretedFunctions());
    assertArrayEquals(jar, entry.classes());
    assertEquals(1, other.hits());
    assertTrue(other.get(key("b")).isEmpty());
    assertEquals(1, other.misses());
  }

  @Test
  void keyIsOwnerOnlyAndKeptAcrossOpens() throws Exception {
    new CompiledModuleStore(dir, 1 << 20);
    Path keyFile = dir.resolve("key");
    assertEquals(
        "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
    byte[] first = Files.readAllBytes(keyFile);
    new CompiledModuleStore(dir, 1 << 20);
    assertArrayEquals(first, Files.readAllBytes(keyFile));
    assertEquals(32, first.length);
  }

  @Test
  void tamperedEntryIsDeletedNotReturned() throws Exception {
    var store = new CompiledModuleStore(dir, 1 << 20);
    store.put(key("a"), new CompiledModuleStore.Entry(0, classes(5000, 2)));
    Path file = dir.resolve(key("a") + ".entry");
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 0x01; // one bit of the classes
    Files.write(file, bytes);
    assertTrue(store.get(key("a")).isEmpty());
    assertEquals(1, store.rejected());
    assertFalse(Files.exists(file));
  }

  @Test
  void entryRecomputedWithAnotherKeyIsRejected() throws Exception {
    var store = new CompiledModuleStore(dir, 1 << 20);
    store.put(key("a"), new CompiledModuleStore.Entry(0, classes(5000, 3)));
    // An attacker who can write the directory but not read the key replaces the key file.
    Path keyFile = dir.resolve("key");
    Files.delete(keyFile);
    var attacker = new CompiledModuleStore(dir, 1 << 20); // creates a fresh key
    attacker.put(key("b"), new CompiledModuleStore.Entry(0, classes(5000, 4)));
    Files.copy(
        dir.resolve(key("b") + ".entry"),
        dir.resolve(key("a") + ".entry"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    // The entry under "a" now carries b's bytes (and b's key): refused.
    assertTrue(attacker.get(key("a")).isEmpty());
    assertEquals(1, attacker.rejected());
  }

  @Test
  void truncatedOrEmptyOrGarbageEntriesNeverLoad() throws Exception {
    var store = new CompiledModuleStore(dir, 1 << 20);
    byte[] jar = classes(8000, 5);
    for (int length : new int[] {0, 1, 10, 80, 4000, 8000}) {
      store.put(key("t"), new CompiledModuleStore.Entry(0, jar));
      Path file = dir.resolve(key("t") + ".entry");
      byte[] bytes = Files.readAllBytes(file);
      Files.write(file, Arrays.copyOf(bytes, Math.min(length, bytes.length - 1)));
      assertTrue(store.get(key("t")).isEmpty(), "truncated to " + length);
    }
    Files.write(dir.resolve(key("g") + ".entry"), classes(200, 6));
    assertTrue(store.get(key("g")).isEmpty());
    assertEquals(7, store.rejected());
  }

  @Test
  void leastRecentlyUsedEntriesAreEvictedToTheBound() throws Exception {
    // Room for two entries of ~40 KB, not three.
    var store = new CompiledModuleStore(dir, 100_000);
    store.put(key("old"), new CompiledModuleStore.Entry(0, classes(40_000, 7)));
    store.put(key("mid"), new CompiledModuleStore.Entry(0, classes(40_000, 8)));
    age(key("old"), 300);
    age(key("mid"), 200);
    store.get(key("old")).orElseThrow(); // a hit makes "old" the most recently used
    store.put(key("new"), new CompiledModuleStore.Entry(0, classes(40_000, 9)));
    assertTrue(store.get(key("old")).isPresent());
    assertTrue(store.get(key("new")).isPresent());
    assertFalse(Files.exists(dir.resolve(key("mid") + ".entry")));
    assertEquals(1, store.evicted());
  }

  @Test
  void everyEntryCountsAndTheirNumberIsBoundedToo() throws Exception {
    var store = new CompiledModuleStore(dir, 1L << 40);
    // Tiny entries far below the size bound, more of them than the count bound.
    for (int i = 0; i < CompiledModuleStore.MAX_ENTRIES + 5; i++) {
      Files.write(dir.resolve("e" + i + ".entry"), new byte[1]);
    }
    store.trim();
    try (var files = Files.list(dir)) {
      assertEquals(
          CompiledModuleStore.MAX_ENTRIES,
          files.filter(p -> p.toString().endsWith(".entry")).count());
    }
    assertEquals(5, store.evicted());
  }

  @Test
  void entryLargerThanTheBoundIsNotStored() {
    var store = new CompiledModuleStore(dir, 10_000);
    store.put(key("big"), new CompiledModuleStore.Entry(0, classes(20_000, 10)));
    assertTrue(store.get(key("big")).isEmpty());
    assertEquals(0, store.rejected());
  }

  private void age(String key, int secondsAgo) throws Exception {
    Files.setLastModifiedTime(
        dir.resolve(key + ".entry"),
        FileTime.fromMillis(System.currentTimeMillis() - secondsAgo * 1000L));
  }
}
