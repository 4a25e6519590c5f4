package io.phase.core.sandbox;

import io.phase.core.cache.SizedLruCache;

/**
 * Compiled modules by SHA-256, least recently used first out, bounded by count and by the total
 * size of the modules held. A repeat run of the same module skips parse and compile.
 */
final class ModuleCache {
  private final SizedLruCache<String, CompiledWasm> entries;
  private long hits;
  private long misses;

  ModuleCache(int maxEntries, long maxTotalBytes) {
    this.entries = new SizedLruCache<>(maxEntries, maxTotalBytes, CompiledWasm::sizeBytes);
  }

  synchronized CompiledWasm get(String moduleHash) {
    CompiledWasm hit = entries.get(moduleHash).orElse(null);
    if (hit == null) {
      misses++;
    } else {
      hits++;
    }
    return hit;
  }

  void put(CompiledWasm compiled) {
    entries.put(compiled.moduleHash(), compiled);
  }

  int size() {
    return entries.size();
  }

  synchronized long hits() {
    return hits;
  }

  synchronized long misses() {
    return misses;
  }
}
