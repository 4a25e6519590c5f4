package io.phase.core.worker;

/**
 * A worker's counters now, for dashboards and metrics exporters.
 *
 * @param runningJobs admitted jobs holding a run slot
 * @param queuedJobs admitted jobs waiting for a run slot
 * @param reservedMemoryMb guest memory reserved by admitted jobs
 * @param memoryBudgetMb the most guest memory admitted jobs may reserve together
 * @param knownJobs jobs listed now (running and retained finished ones)
 * @param draining true once the worker refuses new jobs (shutdown under way)
 * @param modulesHeld modules held by hash now
 * @param moduleHits submits whose module was already held (it did not travel)
 * @param moduleMisses submits whose module had to be uploaded
 * @param bufferedOutputBytes output held by every job's replay buffer
 */
public record WorkerStats(
    int runningJobs,
    int queuedJobs,
    long reservedMemoryMb,
    long memoryBudgetMb,
    int knownJobs,
    boolean draining,
    int modulesHeld,
    long moduleHits,
    long moduleMisses,
    long bufferedOutputBytes) {}
