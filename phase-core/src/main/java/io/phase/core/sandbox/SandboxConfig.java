package io.phase.core.sandbox;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How one {@link Sandbox} shares this JVM.
 *
 * @param maxConcurrentRuns guest threads
 * @param maxQueuedRuns runs waiting for a guest thread; beyond this, submissions are refused
 * @param memoryBudgetBytes sum of the memory caps (and workspace caps) of the runs executing at
 *     once; a run waits until its share is free
 * @param guestStackBytes JVM stack of a guest thread; deep guest recursion ends in a trap
 * @param cacheEntries compiled modules kept
 * @param cacheBytes total size of the modules kept
 * @param maximums the operator's ceilings; every request is clamped to them
 * @param hardStopGrace how long after the deadline a guest that ignores interruption is given
 *     before its run is reported as timed out anyway
 * @param compiledCacheDir where compiled modules are kept on disk across processes (see {@link
 *     CompiledModuleStore}); null keeps them in memory only
 * @param compiledCacheBytes bound of the on-disk cache's total size
 * @param interpretFirstBytes modules at least this large, when not compiled yet, run in Chicory's
 *     interpreter at once while they compile in the background for later runs (compiling a 30 MB
 *     module takes minutes); {@link Long#MAX_VALUE} compiles every module before running it
 */
public record SandboxConfig(
    int maxConcurrentRuns,
    int maxQueuedRuns,
    long memoryBudgetBytes,
    long guestStackBytes,
    int cacheEntries,
    long cacheBytes,
    SandboxLimits maximums,
    Duration hardStopGrace,
    Path compiledCacheDir,
    long compiledCacheBytes,
    long interpretFirstBytes) {

  /** Default of {@code interpretFirstBytes}: 8 MiB. */
  public static final long DEFAULT_INTERPRET_FIRST_BYTES = 8L << 20;

  /** Default bound of the on-disk compiled-module cache: 1 GiB. */
  public static final long DEFAULT_COMPILED_CACHE_BYTES = 1L << 30;

  public SandboxConfig {
    if (maxConcurrentRuns < 1 || maxQueuedRuns < 0 || memoryBudgetBytes < (1 << 20)) {
      throw new IllegalArgumentException("invalid sandbox configuration");
    }
    if (compiledCacheBytes < 0) {
      throw new IllegalArgumentException("compiledCacheBytes must not be negative");
    }
  }

  /**
   * Where compiled modules are kept unless configured otherwise: {@code
   * $XDG_CACHE_HOME/phase/compiled} (an absolute XDG_CACHE_HOME), else {@code
   * ~/.cache/phase/compiled}.
   */
  public static Path defaultCompiledCacheDir() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base =
        xdg != null && !xdg.isEmpty() && Path.of(xdg).isAbsolute()
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("phase").resolve("compiled");
  }

  /** Sized from this JVM: one run per core, 60% of the heap for guest memories. */
  public static SandboxConfig defaults() {
    return new SandboxConfig(
        Math.max(1, Runtime.getRuntime().availableProcessors()),
        256,
        (long) (Runtime.getRuntime().maxMemory() * 0.6),
        16L << 20,
        32,
        256L << 20,
        SandboxLimits.OPERATOR_DEFAULT_MAXIMUMS,
        Duration.ofSeconds(2),
        null,
        DEFAULT_COMPILED_CACHE_BYTES,
        DEFAULT_INTERPRET_FIRST_BYTES);
  }

  public SandboxConfig withMaximums(SandboxLimits value) {
    return new SandboxConfig(
        maxConcurrentRuns,
        maxQueuedRuns,
        memoryBudgetBytes,
        guestStackBytes,
        cacheEntries,
        cacheBytes,
        value,
        hardStopGrace,
        compiledCacheDir,
        compiledCacheBytes,
        interpretFirstBytes);
  }

  /** The budget shared by the guest memories (and workspaces) of all runs, in bytes. */
  public SandboxConfig withMemoryBudget(long bytes) {
    return new SandboxConfig(
        maxConcurrentRuns,
        maxQueuedRuns,
        bytes,
        guestStackBytes,
        cacheEntries,
        cacheBytes,
        maximums,
        hardStopGrace,
        compiledCacheDir,
        compiledCacheBytes,
        interpretFirstBytes);
  }

  public SandboxConfig withConcurrency(int runs, int queued) {
    return new SandboxConfig(
        runs,
        queued,
        memoryBudgetBytes,
        guestStackBytes,
        cacheEntries,
        cacheBytes,
        maximums,
        hardStopGrace,
        compiledCacheDir,
        compiledCacheBytes,
        interpretFirstBytes);
  }

  /**
   * Keeps compiled modules in {@code dir} (created if missing), at most {@code maxBytes} in total;
   * a null {@code dir} turns the on-disk cache off.
   */
  public SandboxConfig withCompiledCache(Path dir, long maxBytes) {
    return new SandboxConfig(
        maxConcurrentRuns,
        maxQueuedRuns,
        memoryBudgetBytes,
        guestStackBytes,
        cacheEntries,
        cacheBytes,
        maximums,
        hardStopGrace,
        dir,
        maxBytes,
        interpretFirstBytes);
  }

  /** Modules of at least {@code bytes} run interpreted while they compile in the background. */
  public SandboxConfig withInterpretFirst(long bytes) {
    return new SandboxConfig(
        maxConcurrentRuns,
        maxQueuedRuns,
        memoryBudgetBytes,
        guestStackBytes,
        cacheEntries,
        cacheBytes,
        maximums,
        hardStopGrace,
        compiledCacheDir,
        compiledCacheBytes,
        bytes);
  }
}
