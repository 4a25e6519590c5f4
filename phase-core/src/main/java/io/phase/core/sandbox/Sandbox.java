package io.phase.core.sandbox;

import com.dylibso.chicory.wasm.Version;
import io.phase.core.sandbox.memory.RawAccess;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs untrusted WASI command modules under hard limits, many at once in one JVM. Runs execute on a
 * bounded pool of guest threads, each with its own stack; the sum of the memory caps of the runs
 * executing at once stays within a budget so guests together cannot exhaust the heap; compiled
 * modules are cached by SHA-256.
 *
 * <p>Thread-safe. Close it to stop every run and its threads.
 */
public final class Sandbox implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Sandbox.class);

  /** The Chicory version on the class path, as receipts record it. */
  public static final String CHICORY_VERSION = chicoryVersion();

  private final SandboxConfig config;
  private final ThreadPoolExecutor guests;
  private final ScheduledExecutorService scheduler;
  private final ModuleCache cache;
  private final CompiledModuleStore compiledStore;
  private final ThreadPoolExecutor backgroundCompiler;
  private final Semaphore budgetMiB;
  private final int budgetTotalMiB;

  public Sandbox(SandboxConfig config) {
    this.config = config;
    this.cache = new ModuleCache(config.cacheEntries(), config.cacheBytes());
    this.compiledStore = openCompiledStore(config);
    // One background compile at a time (each can take minutes of a core), a few waiting.
    this.backgroundCompiler =
        new ThreadPoolExecutor(
            1,
            1,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(4),
            r -> {
              Thread t = new Thread(null, r, "phase-sandbox-compiler", 64L << 20);
              t.setDaemon(true);
              t.setPriority(Thread.MIN_PRIORITY);
              return t;
            });
    this.backgroundCompiler.allowCoreThreadTimeOut(true);
    this.budgetTotalMiB = (int) Math.min(Integer.MAX_VALUE, config.memoryBudgetBytes() >> 20);
    this.budgetMiB = new Semaphore(budgetTotalMiB, true);
    this.guests =
        new ThreadPoolExecutor(
            config.maxConcurrentRuns(),
            config.maxConcurrentRuns(),
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(Math.max(1, config.maxQueuedRuns())),
            guestThreads(config.guestStackBytes()));
    this.guests.allowCoreThreadTimeOut(true);
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "phase-sandbox-watchdog");
              t.setDaemon(true);
              return t;
            });
    LOG.debug(
        "sandbox_started runs={} queue={} memory_budget_mib={} guest_memory_access={}",
        config.maxConcurrentRuns(),
        config.maxQueuedRuns(),
        budgetTotalMiB,
        RawAccess.AVAILABLE ? "raw" : "checked");
  }

  public Sandbox() {
    this(SandboxConfig.defaults());
  }

  /**
   * Starts a run. The request's limits are clamped to the operator's maximums and to the memory
   * budget. Output reaches {@code listener} on the guest thread as it is written.
   */
  public SandboxRun submit(SandboxRequest request, OutputListener listener) {
    SandboxLimits limits = effectiveLimits(request.limits(), !request.mounts().isEmpty());
    String hash = ModuleHash.of(request.module());
    GuestRun run = new GuestRun(this, request, limits, hash, listener);
    try {
      guests.execute(run);
    } catch (RejectedExecutionException e) {
      run.refuse(
          new SandboxBusyException(
              guests.isShutdown() ? "the sandbox is shut down" : "the sandbox queue is full"));
    }
    return run;
  }

  /** The limits a request would run under here. */
  public SandboxLimits effectiveLimits(SandboxLimits requested, boolean withWorkspace) {
    SandboxLimits limits = requested.clampTo(config.maximums());
    if (limits.memoryMb() > SandboxLimits.ENGINE_MAX_MEMORY_MB) {
      limits = limits.withMemoryMb(SandboxLimits.ENGINE_MAX_MEMORY_MB);
    }
    long workspaceMiB = withWorkspace ? (limits.maxWorkspaceBytes() + (1 << 20) - 1) >> 20 : 0;
    long room = budgetTotalMiB - workspaceMiB;
    if (room < limits.memoryMb()) {
      limits = limits.withMemoryMb((int) Math.max(1, room));
    }
    return limits;
  }

  public SandboxConfig config() {
    return config;
  }

  /** Compiled modules held, for operators and tests. */
  public int cachedModules() {
    return cache.size();
  }

  /** Runs whose compiled module was already cached, since start. */
  public long compiledCacheHits() {
    return cache.hits();
  }

  /** Runs that had to parse and compile their module, since start. */
  public long compiledCacheMisses() {
    return cache.misses();
  }

  ModuleCache cache() {
    return cache;
  }

  /** Compiles large modules while their first runs are interpreted. */
  Executor backgroundCompiler() {
    return backgroundCompiler;
  }

  /**
   * Waits up to {@code timeout} for the compiles under way (e.g. of a large module whose run was
   * interpreted meanwhile) to finish and reach the on-disk cache. True if none is left.
   */
  public boolean awaitCompilations(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (var pending : cache.compilations()) {
      try {
        pending.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (java.util.concurrent.ExecutionException e) {
        // Logged where it failed; nothing to wait for.
      } catch (java.util.concurrent.TimeoutException e) {
        return false;
      }
    }
    return true;
  }

  /** Whether a compile is under way. */
  public boolean compiling() {
    return !cache.compilations().isEmpty();
  }

  /** The on-disk cache of compiled modules, or null if there is none. */
  CompiledModuleStore compiledStore() {
    return compiledStore;
  }

  ScheduledExecutorService scheduler() {
    return scheduler;
  }

  long budgetFor(SandboxLimits limits, boolean withWorkspace) {
    long workspaceMiB = withWorkspace ? (limits.maxWorkspaceBytes() + (1 << 20) - 1) >> 20 : 0;
    return Math.min(budgetTotalMiB, limits.memoryMb() + workspaceMiB);
  }

  boolean acquireBudget(long mib, Duration wait) {
    try {
      return budgetMiB.tryAcquire((int) mib, wait.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  void releaseBudget(long mib) {
    budgetMiB.release((int) mib);
  }

  /** Interrupts every run and waits (bounded) for the guest threads to end. */
  @Override
  public void close() {
    guests.shutdownNow();
    try {
      if (!guests.awaitTermination(
          config.hardStopGrace().toMillis() + 1000, TimeUnit.MILLISECONDS)) {
        LOG.warn("sandbox_close guest_threads_still_running={}", guests.getActiveCount());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      scheduler.shutdownNow();
      backgroundCompiler.shutdownNow();
    }
  }

  private static ThreadFactory guestThreads(long stackBytes) {
    AtomicInteger counter = new AtomicInteger();
    return r -> {
      Thread t = new Thread(null, r, "phase-guest-" + counter.incrementAndGet(), stackBytes);
      t.setDaemon(true);
      return t;
    };
  }

  /** The on-disk cache, or null (with a warning) if configured but unusable: it only saves time. */
  private static CompiledModuleStore openCompiledStore(SandboxConfig config) {
    if (config.compiledCacheDir() == null) {
      return null;
    }
    try {
      return new CompiledModuleStore(config.compiledCacheDir(), config.compiledCacheBytes());
    } catch (UncheckedIOException | SecurityException e) {
      LOG.warn(
          "sandbox_compiled_cache_unavailable dir={} error=\"{}\": modules are compiled every run",
          config.compiledCacheDir(),
          e.getMessage());
      return null;
    }
  }

  private static String chicoryVersion() {
    String v = Version.version();
    return v == null || v.isBlank() ? "unknown" : v;
  }
}
