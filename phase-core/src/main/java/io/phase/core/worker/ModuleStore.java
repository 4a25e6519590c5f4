package io.phase.core.worker;

import io.phase.core.cache.SizedLruCache;
import io.phase.core.sandbox.ModuleHash;
import java.util.Optional;

/**
 * Modules held by this worker, content-addressed by {@code sha256:<hex>}, so a module travels only
 * when missing. Bounded in entries and bytes (least recently used dropped first). Only modules
 * whose bytes were verified against their hash are stored, and each is verified again on the way
 * in. Thread-safe.
 */
final class ModuleStore {
  private final SizedLruCache<String, byte[]> modules;
  private long stored;
  private long hits;
  private long misses;

  ModuleStore(int maxEntries, long maxBytes) {
    this.modules = new SizedLruCache<>(maxEntries, maxBytes, module -> module.length);
  }

  /** The module with {@code hash}, counted as a hit or a miss. */
  Optional<byte[]> get(String hash) {
    Optional<byte[]> held = modules.get(hash);
    synchronized (this) {
      if (held.isPresent()) {
        hits++;
      } else {
        misses++;
      }
    }
    return held;
  }

  /** Lookups that found the module held since start. */
  synchronized long hits() {
    return hits;
  }

  /** Lookups that found no module since start (it was then uploaded). */
  synchronized long misses() {
    return misses;
  }

  /** Stores {@code module} under its hash; refuses bytes that do not hash to {@code hash}. */
  synchronized void put(String hash, byte[] module) {
    if (!ModuleHash.of(module).equals(hash)) {
      throw new IllegalArgumentException("module bytes do not hash to " + hash);
    }
    if (!modules.containsKey(hash) && modules.put(hash, module)) {
      stored++;
    }
  }

  /** Modules stored since start (each one arrived over the wire). */
  synchronized long stored() {
    return stored;
  }

  int size() {
    return modules.size();
  }
}
