package io.phase.core.worker;

import io.phase.core.protocol.RunLimits;
import io.phase.core.protocol.RunMessage;
import io.phase.core.sandbox.SandboxLimits;
import io.phase.p2p.peer.PeerId;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a worker operator allows, applied to every request whatever it asks for: who may submit
 * (anyone, or an allowlist of peer ids), what the worker offers (arch, runtime, cores) and the
 * server-side maxima of memory, time, output, module, stdin and workspace sizes, concurrent and
 * queued jobs, and how long request ids are remembered against replay. Build with {@link
 * #builder(String, String)}.
 *
 * @param allowlist the peers allowed to submit; empty means open to anyone
 * @param maxMemoryTotalMb guest memory reserved by all admitted jobs (running and queued) together;
 *     a job asking for more than this alone is refused with {@code InsufficientResources(memory)},
 *     one that would fit once others finish is refused with {@code QueueFull} (try later or
 *     elsewhere). Default: {@link #defaultMemoryTotalMb()}
 */
public record WorkerPolicy(
    Optional<Set<PeerId>> allowlist,
    String arch,
    String wasmRuntime,
    int cpuCores,
    int maxMemoryMb,
    Duration maxTimeout,
    long maxOutputBytes,
    long maxModuleBytes,
    long maxStdinBytes,
    long maxWorkspaceBytes,
    int maxWorkspaceEntries,
    int maxConcurrentJobs,
    int maxQueuedJobs,
    int replayCapacity,
    Duration replayWindow,
    long maxMemoryTotalMb) {

  /**
   * Share of the JVM's max heap given to guest memory by default, in percent: the sandbox's own
   * budget (SandboxConfig.defaults). The other 40 % covers a {@code memory.grow}'s copy, replay
   * buffers, the module cache and Netty. Guest memory lives on the heap.
   */
  public static final int GUEST_HEAP_PERCENT = 60;

  /** The default total guest-memory budget: {@link #GUEST_HEAP_PERCENT} of the max heap. */
  public static long defaultMemoryTotalMb() {
    long heapMb = Runtime.getRuntime().maxMemory() >> 20;
    return Math.max(1, heapMb * GUEST_HEAP_PERCENT / 100);
  }

  public WorkerPolicy {
    allowlist = allowlist.map(Set::copyOf);
    Objects.requireNonNull(arch, "arch");
    Objects.requireNonNull(wasmRuntime, "wasmRuntime");
    Objects.requireNonNull(maxTimeout, "maxTimeout");
    Objects.requireNonNull(replayWindow, "replayWindow");
    positive(cpuCores, "cpuCores");
    if (maxMemoryTotalMb < 1) {
      throw new IllegalArgumentException("maxMemoryTotalMb must be positive");
    }
    if (maxMemoryMb < 1 || maxMemoryMb > SandboxLimits.ENGINE_MAX_MEMORY_MB) {
      throw new IllegalArgumentException(
          "maxMemoryMb must be 1.." + SandboxLimits.ENGINE_MAX_MEMORY_MB + ", got " + maxMemoryMb);
    }
    if (maxTimeout.isNegative()
        || maxTimeout.isZero()
        || maxTimeout.toMillis() > RunLimits.MAX_TIMEOUT_MS) {
      throw new IllegalArgumentException("maxTimeout must be positive and at most one day");
    }
    for (long size :
        new long[] {maxOutputBytes, maxModuleBytes, maxStdinBytes, maxWorkspaceBytes}) {
      if (size < 0 || size > RunMessage.MAX_SIZE) {
        throw new IllegalArgumentException("size maxima must be 0.." + RunMessage.MAX_SIZE);
      }
    }
    if (maxModuleBytes < 8) {
      throw new IllegalArgumentException("maxModuleBytes must be at least 8");
    }
    if (maxWorkspaceEntries < 0 || maxQueuedJobs < 0) {
      throw new IllegalArgumentException("maxima must not be negative");
    }
    positive(maxConcurrentJobs, "maxConcurrentJobs");
    positive(replayCapacity, "replayCapacity");
    if (replayWindow.isNegative() || replayWindow.isZero()) {
      throw new IllegalArgumentException("replayWindow must be positive");
    }
  }

  private static void positive(int value, String name) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
  }

  /** True if {@code peer} may submit jobs. */
  public boolean allows(PeerId peer) {
    return allowlist.map(peers -> peers.contains(peer)).orElse(true);
  }

  /** A builder starting from the sandbox's operator defaults, open to anyone. */
  public static Builder builder(String arch, String wasmRuntime) {
    return new Builder(arch, wasmRuntime);
  }

  /** Builds a {@link WorkerPolicy}; every setter replaces one default. */
  public static final class Builder {
    private Optional<Set<PeerId>> allowlist = Optional.empty();
    private final String arch;
    private final String wasmRuntime;
    private int cpuCores = Math.max(1, Runtime.getRuntime().availableProcessors());
    private int maxMemoryMb = SandboxLimits.OPERATOR_DEFAULT_MAXIMUMS.memoryMb();
    private Duration maxTimeout = SandboxLimits.OPERATOR_DEFAULT_MAXIMUMS.timeout();
    private long maxOutputBytes = SandboxLimits.OPERATOR_DEFAULT_MAXIMUMS.maxOutputBytes();
    private long maxModuleBytes = SandboxLimits.OPERATOR_DEFAULT_MAXIMUMS.maxModuleBytes();
    private long maxStdinBytes = 64L << 20;
    private long maxWorkspaceBytes = SandboxLimits.OPERATOR_DEFAULT_MAXIMUMS.maxWorkspaceBytes();
    private int maxWorkspaceEntries = SandboxLimits.OPERATOR_DEFAULT_MAXIMUMS.maxWorkspaceFiles();
    private int maxConcurrentJobs = 2;
    private long maxMemoryTotalMb = defaultMemoryTotalMb();
    private int maxQueuedJobs = 16;
    private int replayCapacity = 100_000;
    private Duration replayWindow = Duration.ofHours(24);

    private Builder(String arch, String wasmRuntime) {
      this.arch = arch;
      this.wasmRuntime = wasmRuntime;
    }

    /** Only these peers may submit. */
    public Builder allowOnly(Set<PeerId> peers) {
      allowlist = Optional.of(peers);
      return this;
    }

    public Builder cpuCores(int value) {
      cpuCores = value;
      return this;
    }

    /** Total guest memory of all admitted jobs together (see {@link WorkerPolicy}). */
    public Builder maxMemoryTotalMb(long value) {
      maxMemoryTotalMb = value;
      return this;
    }

    public Builder maxMemoryMb(int value) {
      maxMemoryMb = value;
      return this;
    }

    public Builder maxTimeout(Duration value) {
      maxTimeout = value;
      return this;
    }

    public Builder maxOutputBytes(long value) {
      maxOutputBytes = value;
      return this;
    }

    public Builder maxModuleBytes(long value) {
      maxModuleBytes = value;
      return this;
    }

    public Builder maxStdinBytes(long value) {
      maxStdinBytes = value;
      return this;
    }

    public Builder maxWorkspace(long bytes, int entries) {
      maxWorkspaceBytes = bytes;
      maxWorkspaceEntries = entries;
      return this;
    }

    public Builder jobs(int concurrent, int queued) {
      maxConcurrentJobs = concurrent;
      maxQueuedJobs = queued;
      return this;
    }

    public Builder replay(int capacity, Duration window) {
      replayCapacity = capacity;
      replayWindow = window;
      return this;
    }

    public WorkerPolicy build() {
      return new WorkerPolicy(
          allowlist,
          arch,
          wasmRuntime,
          cpuCores,
          maxMemoryMb,
          maxTimeout,
          maxOutputBytes,
          maxModuleBytes,
          maxStdinBytes,
          maxWorkspaceBytes,
          maxWorkspaceEntries,
          maxConcurrentJobs,
          maxQueuedJobs,
          replayCapacity,
          replayWindow,
          maxMemoryTotalMb);
    }
  }
}
