package io.phase.core.sandbox;

import io.phase.core.cache.SizedLruCache;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * Compiled modules by SHA-256, least recently used first out, bounded by count and by the total
 * size of the modules held. A repeat run of the same module skips parse and compile, and runs of a
 * module not yet compiled wait for the one run compiling it instead of compiling it again.
 */
final class ModuleCache {
  /** Compiles a module on a miss. */
  interface Compilation {
    CompiledWasm compile() throws InvalidModuleException;
  }

  /** A compiled module, and whether this run found it ready (or compiled by another run). */
  record Lookup(CompiledWasm compiled, boolean cached) {}

  private final SizedLruCache<String, CompiledWasm> entries;
  private final ConcurrentHashMap<String, CompletableFuture<CompiledWasm>> compiling =
      new ConcurrentHashMap<>();
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

  /**
   * The module under {@code moduleHash}: held, being compiled by another run (waited for), or
   * compiled now by {@code compilation} and kept.
   *
   * @throws InterruptedException if interrupted while another run compiles it
   */
  Lookup getOrCompile(String moduleHash, Compilation compilation)
      throws InvalidModuleException, InterruptedException {
    CompiledWasm hit = get(moduleHash);
    if (hit != null) {
      return new Lookup(hit, true);
    }
    CompletableFuture<CompiledWasm> mine = new CompletableFuture<>();
    CompletableFuture<CompiledWasm> other = compiling.putIfAbsent(moduleHash, mine);
    if (other != null) {
      try {
        return new Lookup(other.get(), true);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof InvalidModuleException invalid) {
          throw new InvalidModuleException(invalid.getMessage(), invalid);
        }
        // The other run failed on the host's side: try ourselves.
        return new Lookup(compilation.compile(), false);
      }
    }
    try {
      CompiledWasm compiled = compilation.compile();
      put(compiled);
      mine.complete(compiled);
      return new Lookup(compiled, false);
    } catch (InvalidModuleException | RuntimeException | Error e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      compiling.remove(moduleHash, mine);
    }
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
