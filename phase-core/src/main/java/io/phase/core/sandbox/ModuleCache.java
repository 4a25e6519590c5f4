package io.phase.core.sandbox;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Compiled modules by SHA-256, least recently used first out, bounded by count and by the total
 * size of the modules held. A repeat run of the same module skips parse and compile.
 */
final class ModuleCache {
  private final int maxEntries;
  private final long maxTotalBytes;
  private final LinkedHashMap<String, CompiledWasm> entries = new LinkedHashMap<>(16, 0.75f, true);
  private long totalBytes;
  private long hits;
  private long misses;

  ModuleCache(int maxEntries, long maxTotalBytes) {
    this.maxEntries = maxEntries;
    this.maxTotalBytes = maxTotalBytes;
  }

  synchronized CompiledWasm get(String moduleHash) {
    CompiledWasm hit = entries.get(moduleHash);
    if (hit == null) {
      misses++;
    } else {
      hits++;
    }
    return hit;
  }

  synchronized void put(CompiledWasm compiled) {
    if (maxEntries == 0 || compiled.sizeBytes() > maxTotalBytes) {
      return;
    }
    CompiledWasm previous = entries.put(compiled.moduleHash(), compiled);
    if (previous != null) {
      totalBytes -= previous.sizeBytes();
    }
    totalBytes += compiled.sizeBytes();
    var it = entries.entrySet().iterator();
    while ((entries.size() > maxEntries || totalBytes > maxTotalBytes) && it.hasNext()) {
      Map.Entry<String, CompiledWasm> eldest = it.next();
      totalBytes -= eldest.getValue().sizeBytes();
      it.remove();
    }
  }

  synchronized int size() {
    return entries.size();
  }

  synchronized long hits() {
    return hits;
  }

  synchronized long misses() {
    return misses;
  }
}
