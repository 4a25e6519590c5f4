package io.phase.core.worker;

import io.phase.core.sandbox.ModuleHash;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Modules held by this worker, content-addressed by {@code sha256:<hex>}, so a module travels only
 * when missing. Bounded in entries and bytes (least recently used dropped first). Only modules
 * whose bytes were verified against their hash are stored, and each is verified again on the way
 * in. Thread-safe.
 */
final class ModuleStore {
  private final int maxEntries;
  private final long maxBytes;
  private final LinkedHashMap<String, byte[]> modules = new LinkedHashMap<>(16, 0.75f, true);
  private long bytes;
  private long stored;

  ModuleStore(int maxEntries, long maxBytes) {
    this.maxEntries = maxEntries;
    this.maxBytes = maxBytes;
  }

  synchronized Optional<byte[]> get(String hash) {
    return Optional.ofNullable(modules.get(hash));
  }

  /** Stores {@code module} under its hash; refuses bytes that do not hash to {@code hash}. */
  synchronized void put(String hash, byte[] module) {
    if (!ModuleHash.of(module).equals(hash)) {
      throw new IllegalArgumentException("module bytes do not hash to " + hash);
    }
    if (module.length > maxBytes || maxEntries == 0 || modules.containsKey(hash)) {
      return;
    }
    modules.put(hash, module);
    stored++;
    bytes += module.length;
    var it = modules.entrySet().iterator();
    while ((modules.size() > maxEntries || bytes > maxBytes) && it.hasNext()) {
      Map.Entry<String, byte[]> eldest = it.next();
      bytes -= eldest.getValue().length;
      it.remove();
    }
  }

  /** Modules stored since start (each one arrived over the wire). */
  synchronized long stored() {
    return stored;
  }

  synchronized int size() {
    return modules.size();
  }
}
