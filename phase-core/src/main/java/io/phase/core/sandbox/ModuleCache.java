package io.phase.core.sandbox;

import com.dylibso.chicory.wasm.WasmModule;
import io.phase.core.cache.SizedLruCache;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compiled modules by SHA-256, least recently used first out, bounded by count and by the total
 * size of the modules held. A repeat run of the same module skips parse and compile, and runs of a
 * module not yet compiled wait for the one run compiling it instead of compiling it again.
 */
final class ModuleCache {
  private static final Logger LOG = LoggerFactory.getLogger(ModuleCache.class);

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
   * The module under {@code moduleHash}, ready to run: held here; or loaded from {@code store}; or,
   * for a module of at least {@code interpretFirstBytes}, Chicory's interpreter at once while
   * {@code background} compiles it for later runs; or compiled now (once: concurrent runs of the
   * same small module wait for the one compiling it).
   *
   * @param store the on-disk cache, or null
   * @param background runs background compiles, or null to compile every module before running it
   * @throws InterruptedException if interrupted while another run compiles it
   */
  Lookup prepare(
      String moduleHash,
      byte[] bytes,
      long maxModuleBytes,
      CompiledModuleStore store,
      Executor background,
      long interpretFirstBytes)
      throws InvalidModuleException, InterruptedException {
    CompiledWasm hit = get(moduleHash);
    if (hit != null) {
      return new Lookup(hit, true);
    }
    boolean large = background != null && bytes.length >= interpretFirstBytes;
    CompletableFuture<CompiledWasm> mine = new CompletableFuture<>();
    CompletableFuture<CompiledWasm> other = compiling.putIfAbsent(moduleHash, mine);
    if (other != null) {
      if (large) {
        WasmModule module = ModuleCompiler.validate(bytes, moduleHash, maxModuleBytes);
        return new Lookup(ModuleCompiler.interpreted(module, moduleHash, bytes.length), false);
      }
      try {
        return new Lookup(other.get(), true);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof InvalidModuleException invalid) {
          throw new InvalidModuleException(invalid.getMessage(), invalid);
        }
        // The other run failed on the host's side: try ourselves.
        return new Lookup(ModuleCompiler.compile(bytes, moduleHash, maxModuleBytes, store), false);
      }
    }
    boolean handedOff = false;
    try {
      WasmModule module = ModuleCompiler.validate(bytes, moduleHash, maxModuleBytes);
      CompiledWasm compiled = ModuleCompiler.loadStored(store, module, moduleHash, bytes.length);
      if (compiled == null && large) {
        handedOff = compileInBackground(background, module, bytes, moduleHash, store, mine);
        if (handedOff) {
          return new Lookup(ModuleCompiler.interpreted(module, moduleHash, bytes.length), false);
        }
      }
      if (compiled == null) {
        compiled = ModuleCompiler.compileValidated(module, bytes, moduleHash, store);
      }
      put(compiled);
      mine.complete(compiled);
      return new Lookup(compiled, false);
    } catch (InvalidModuleException | RuntimeException | Error e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      if (!handedOff) {
        compiling.remove(moduleHash, mine);
      }
    }
  }

  private boolean compileInBackground(
      Executor background,
      WasmModule module,
      byte[] bytes,
      String moduleHash,
      CompiledModuleStore store,
      CompletableFuture<CompiledWasm> done) {
    try {
      background.execute(
          () -> {
            try {
              CompiledWasm compiled =
                  ModuleCompiler.compileValidated(module, bytes, moduleHash, store);
              put(compiled);
              done.complete(compiled);
            } catch (InvalidModuleException | RuntimeException | Error e) {
              LOG.warn(
                  "sandbox_background_compile_failed module={} error=\"{}\"",
                  moduleHash,
                  e.toString());
              done.completeExceptionally(e);
            } finally {
              compiling.remove(moduleHash, done);
            }
          });
      LOG.info("sandbox_background_compile_started module={} bytes={}", moduleHash, bytes.length);
      return true;
    } catch (RejectedExecutionException e) {
      return false;
    }
  }

  /** Compiles under way (in the background or for a run), for a caller that wants to wait. */
  List<CompletableFuture<CompiledWasm>> compilations() {
    return List.copyOf(compiling.values());
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
