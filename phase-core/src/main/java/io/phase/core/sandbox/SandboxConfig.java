package io.phase.core.sandbox;

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
 */
public record SandboxConfig(
    int maxConcurrentRuns,
    int maxQueuedRuns,
    long memoryBudgetBytes,
    long guestStackBytes,
    int cacheEntries,
    long cacheBytes,
    SandboxLimits maximums,
    Duration hardStopGrace) {

  public SandboxConfig {
    if (maxConcurrentRuns < 1 || maxQueuedRuns < 0 || memoryBudgetBytes < (1 << 20)) {
      throw new IllegalArgumentException("invalid sandbox configuration");
    }
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
        Duration.ofSeconds(2));
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
        hardStopGrace);
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
        hardStopGrace);
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
        hardStopGrace);
  }
}
