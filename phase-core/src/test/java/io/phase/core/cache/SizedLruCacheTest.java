package io.phase.core.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class SizedLruCacheTest {
  private static SizedLruCache<String, byte[]> cache(int entries, long bytes) {
    return new SizedLruCache<>(entries, bytes, v -> v.length);
  }

  @Test
  void dropsTheLeastRecentlyUsedWhenTheCountIsExceeded() {
    SizedLruCache<String, byte[]> c = cache(2, 100);
    c.put("a", new byte[1]);
    c.put("b", new byte[1]);
    c.get("a");
    c.put("c", new byte[1]);
    assertTrue(c.containsKey("a"));
    assertFalse(c.containsKey("b"));
    assertTrue(c.containsKey("c"));
    assertEquals(2, c.size());
  }

  @Test
  void dropsOldEntriesUntilTheSizesFit() {
    SizedLruCache<String, byte[]> c = cache(10, 10);
    c.put("a", new byte[4]);
    c.put("b", new byte[4]);
    c.put("c", new byte[4]);
    assertEquals(Optional.empty(), c.get("a"));
    assertEquals(8, c.totalSize());
    c.put("b", new byte[1]);
    assertEquals(5, c.totalSize(), "a replaced value counts once");
  }

  @Test
  void keepsNothingTooLargeOrWhenDisabled() {
    SizedLruCache<String, byte[]> c = cache(10, 10);
    assertFalse(c.put("big", new byte[11]));
    assertEquals(0, c.size());
    SizedLruCache<String, byte[]> off = cache(0, 10);
    assertFalse(off.put("a", new byte[1]));
    assertEquals(0, off.size());
  }
}
