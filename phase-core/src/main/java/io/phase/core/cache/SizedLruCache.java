package io.phase.core.cache;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.ToLongFunction;

/**
 * A map bounded by entry count and by the total size of its values, least recently used dropped
 * first. A value larger than the whole size bound is not kept. Thread-safe.
 *
 * @param <K> the key (e.g. a module hash)
 * @param <V> the value, sized by the function given at construction
 */
public final class SizedLruCache<K, V> {
  private final int maxEntries;
  private final long maxTotalSize;
  private final ToLongFunction<V> sizer;
  private final java.util.function.BiConsumer<K, V> onEvict;
  private final LinkedHashMap<K, V> entries = new LinkedHashMap<>(16, 0.75f, true);
  private long totalSize;

  /** A cache of at most {@code maxEntries} values whose sizes add up to {@code maxTotalSize}. */
  public SizedLruCache(int maxEntries, long maxTotalSize, ToLongFunction<V> sizer) {
    this(maxEntries, maxTotalSize, sizer, (k, v) -> {});
  }

  /**
   * As above; {@code onEvict} is told (under the cache's lock) of every entry dropped to keep the
   * bounds or removed, so an owner can release what the value stands for (e.g. a file).
   */
  public SizedLruCache(
      int maxEntries,
      long maxTotalSize,
      ToLongFunction<V> sizer,
      java.util.function.BiConsumer<K, V> onEvict) {
    this.onEvict = Objects.requireNonNull(onEvict, "onEvict");
    if (maxEntries < 0 || maxTotalSize < 0) {
      throw new IllegalArgumentException("bounds must not be negative");
    }
    this.maxEntries = maxEntries;
    this.maxTotalSize = maxTotalSize;
    this.sizer = Objects.requireNonNull(sizer, "sizer");
  }

  /** The value under {@code key}, now the most recently used. */
  public synchronized Optional<V> get(K key) {
    return Optional.ofNullable(entries.get(key));
  }

  public synchronized boolean containsKey(K key) {
    return entries.containsKey(key);
  }

  /**
   * Keeps {@code value} under {@code key} (replacing an older one), then drops the least recently
   * used entries until both bounds hold. Returns false, keeping nothing, if the value alone is
   * larger than the size bound or the cache holds no entries at all.
   */
  public synchronized boolean put(K key, V value) {
    long size = sizer.applyAsLong(value);
    if (maxEntries == 0 || size > maxTotalSize) {
      return false;
    }
    V previous = entries.put(key, value);
    if (previous != null) {
      totalSize -= sizer.applyAsLong(previous);
    }
    totalSize += size;
    var it = entries.entrySet().iterator();
    while ((entries.size() > maxEntries || totalSize > maxTotalSize) && it.hasNext()) {
      Map.Entry<K, V> eldest = it.next();
      totalSize -= sizer.applyAsLong(eldest.getValue());
      it.remove();
      if (eldest.getKey() != key) {
        onEvict.accept(eldest.getKey(), eldest.getValue());
      }
    }
    return true;
  }

  /** Removes the entry under {@code key}, if any, telling the eviction listener. */
  public synchronized void remove(K key) {
    V value = entries.remove(key);
    if (value != null) {
      totalSize -= sizer.applyAsLong(value);
      onEvict.accept(key, value);
    }
  }

  public synchronized int size() {
    return entries.size();
  }

  /** The total size of the values held. */
  public synchronized long totalSize() {
    return totalSize;
  }
}
