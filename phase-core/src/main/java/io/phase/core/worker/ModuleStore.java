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

  ModuleStore(int maxEntries, long maxBytes) {
    this.modules = new SizedLruCache<>(maxEntries, maxBytes, module -> module.length);
  }

  Optional<byte[]> get(String hash) {
    return modules.get(hash);
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
