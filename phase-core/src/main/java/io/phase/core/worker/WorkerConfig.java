package io.phase.core.worker;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link WorkerService} runs jobs besides its admission policy.
 *
 * @param policy admission: who may submit and the server-side maxima
 * @param moduleCacheEntries most modules held by hash
 * @param moduleCacheBytes most module bytes held
 * @param replayBufferBytes output retained per job for reattach (oldest chunks dropped first)
 * @param retention how long a finished job's receipt and output stay attachable
 * @param maxRetainedJobs most finished jobs retained (oldest dropped first)
 * @param detachGrace how long a running job whose client disappeared waits for a reattach before it
 *     is cancelled
 * @param replayBudgetBytes most output bytes held in total by the replay buffers of finished jobs;
 *     past it the oldest finished jobs are forgotten first (their attach then answers unknown_job)
 * @param outputHighWater unsent output bytes queued for a stream before the guest waits (the guest
 *     also waits while its replay buffer is full of output no stream has sent yet, so a slow or
 *     stalled client never loses output: the wait ends only at the job's own timeout or cancel)
 */
public record WorkerConfig(
    WorkerPolicy policy,
    int moduleCacheEntries,
    long moduleCacheBytes,
    long replayBufferBytes,
    Duration retention,
    int maxRetainedJobs,
    Duration detachGrace,
    long replayBudgetBytes,
    long outputHighWater) {

  public WorkerConfig {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(retention, "retention");
    Objects.requireNonNull(detachGrace, "detachGrace");
    if (moduleCacheEntries < 0 || moduleCacheBytes < 0 || maxRetainedJobs < 0) {
      throw new IllegalArgumentException("cache and retention sizes must not be negative");
    }
    if (replayBufferBytes < 256 * 1024) {
      throw new IllegalArgumentException("replayBufferBytes must be at least 256 KiB");
    }
    if (outputHighWater < 1 || outputHighWater > replayBufferBytes / 2) {
      throw new IllegalArgumentException("outputHighWater must be 1..replayBufferBytes/2");
    }
    if (replayBudgetBytes < replayBufferBytes) {
      throw new IllegalArgumentException("replayBudgetBytes must be at least replayBufferBytes");
    }
    for (Duration d : new Duration[] {retention, detachGrace}) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("durations must be positive");
      }
    }
  }

  /**
   * Defaults: 32 modules / 256 MiB cached, 8 MiB of output per job, finished jobs kept 10 minutes
   * (at most 64, holding at most 128 MiB of output in total), 30 s to reattach, 1 MiB high water.
   */
  public static WorkerConfig defaults(WorkerPolicy policy) {
    return new WorkerConfig(
        policy,
        32,
        256L << 20,
        8L << 20,
        Duration.ofMinutes(10),
        64,
        Duration.ofSeconds(30),
        128L << 20,
        1L << 20);
  }

  public WorkerConfig withDetachGrace(Duration value) {
    return new WorkerConfig(
        policy,
        moduleCacheEntries,
        moduleCacheBytes,
        replayBufferBytes,
        retention,
        maxRetainedJobs,
        value,
        replayBudgetBytes,
        outputHighWater);
  }

  public WorkerConfig withRetention(Duration value, int maxJobs) {
    return new WorkerConfig(
        policy,
        moduleCacheEntries,
        moduleCacheBytes,
        replayBufferBytes,
        value,
        maxJobs,
        detachGrace,
        replayBudgetBytes,
        outputHighWater);
  }

  /** The replay budget: most output bytes held by finished jobs in total. */
  public WorkerConfig withReplayBudget(long bytes) {
    return new WorkerConfig(
        policy,
        moduleCacheEntries,
        moduleCacheBytes,
        replayBufferBytes,
        retention,
        maxRetainedJobs,
        detachGrace,
        bytes,
        outputHighWater);
  }

  public WorkerConfig withReplayBuffer(long bytes, long highWater) {
    return new WorkerConfig(
        policy,
        moduleCacheEntries,
        moduleCacheBytes,
        bytes,
        retention,
        maxRetainedJobs,
        detachGrace,
        replayBudgetBytes,
        highWater);
  }
}
