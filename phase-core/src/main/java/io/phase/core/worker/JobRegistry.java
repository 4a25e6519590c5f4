package io.phase.core.worker;

import io.phase.p2p.peer.PeerId;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The jobs this worker knows: running ones, and finished ones retained (bounded in count and time)
 * so that their submitter can reattach and fetch output and receipt. Finished jobs' output counts
 * against one replay budget: when a job's end puts the total over it, the oldest finished jobs are
 * forgotten first (attach then answers unknown_job). Cancels a running job whose client disappeared
 * and did not reattach within the grace period. Thread-safe.
 */
final class JobRegistry implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JobRegistry.class);

  /** What an attach request finds. */
  sealed interface Lookup {}

  record Found(JobRecord job) implements Lookup {}

  record Unknown() implements Lookup {}

  record Forbidden() implements Lookup {}

  private final WorkerConfig config;
  private final Clock clock;
  private final Map<String, JobRecord> jobs = new LinkedHashMap<>();
  private final ScheduledExecutorService timers;
  private final List<Consumer<JobSummary>> endListeners = new CopyOnWriteArrayList<>();

  JobRegistry(WorkerConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
    this.timers =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "phase-worker-jobs");
              t.setDaemon(true);
              return t;
            });
    long sweep = Math.max(100, Math.min(60_000, config.retention().toMillis() / 2));
    timers.scheduleWithFixedDelay(this::prune, sweep, sweep, TimeUnit.MILLISECONDS);
  }

  synchronized void register(JobRecord job) {
    if (jobs.putIfAbsent(job.jobId, job) != null) {
      throw new IllegalStateException("job " + job.jobId + " is already registered");
    }
  }

  /** The job {@code jobId} if {@code peer} submitted it. */
  synchronized Lookup lookup(String jobId, PeerId peer) {
    JobRecord job = jobs.get(jobId);
    if (job == null) {
      return new Unknown();
    }
    return job.submitter.equals(peer) ? new Found(job) : new Forbidden();
  }

  /** A job ended: retention applies from now; the end listeners are told. */
  void finished(JobRecord job, JobRecord.Terminal end) {
    boolean first = job.finish(end, clock.millis());
    prune();
    if (first) {
      JobSummary summary = job.summary();
      for (Consumer<JobSummary> l : endListeners) {
        try {
          l.accept(summary);
        } catch (RuntimeException e) {
          LOG.warn("job_end_listener_failed job={} error={}", job.jobId, e.toString());
        }
      }
    }
  }

  /** Tells {@code listener} of every job that ends from now on (on the thread that ended it). */
  void addEndListener(Consumer<JobSummary> listener) {
    endListeners.add(listener);
  }

  /** Every job known now, oldest first. */
  synchronized List<JobSummary> summaries() {
    List<JobSummary> out = new ArrayList<>(jobs.size());
    for (JobRecord job : jobs.values()) {
      out.add(job.summary());
    }
    return out;
  }

  /**
   * {@code follower} left {@code job}; if it is still running, the grace period starts. At its end
   * a job nobody follows is cancelled, unless its guest is paused waiting for a stream to take its
   * output: such a job (its client stalled, e.g. stopped with SIGSTOP, and lost its connection to
   * keep-alive) costs no CPU, so it waits on for a reattach, checked every grace period, until the
   * job's own timeout stops the guest. A reattach ends this grace; a later detach starts a new one.
   */
  void unfollowed(JobRecord job, JobRecord.Follower follower) {
    if (!job.unfollow(follower)) {
      return;
    }
    long grace = config.detachGrace().toMillis();
    LOG.info("job_detached job={} grace_ms={}", job.jobId, grace);
    scheduleGraceEnd(job, job.followEpoch(), grace, false);
  }

  private void scheduleGraceEnd(JobRecord job, long epoch, long delayMillis, boolean extended) {
    try {
      timers.schedule(() -> graceEnded(job, epoch, extended), delayMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // closing: every running job is being cancelled anyway
    }
  }

  private void graceEnded(JobRecord job, long epoch, boolean extended) {
    if (!job.orphaned() || job.followEpoch() != epoch) {
      return; // finished, or followed again (a new detach has its own grace)
    }
    if (job.outputPaused()) {
      if (!extended) {
        LOG.info(
            "job_detach_extended job={} peer={} reason=output_paused", job.jobId, job.submitter);
      }
      scheduleGraceEnd(job, epoch, config.detachGrace().toMillis(), true);
      return;
    }
    LOG.info("job_abandoned job={} peer={} outcome=cancelled", job.jobId, job.submitter);
    job.cancel();
  }

  /** Jobs known now (running and retained). */
  synchronized int size() {
    return jobs.size();
  }

  /** Cancels every running job. */
  void cancelAll() {
    JobRecord[] all;
    synchronized (this) {
      all = jobs.values().toArray(JobRecord[]::new);
    }
    for (JobRecord job : all) {
      if (job.terminal() == null) {
        job.cancel();
      }
    }
  }

  private synchronized void prune() {
    long cutoff = clock.millis() - config.retention().toMillis();
    int finished = 0;
    for (JobRecord job : jobs.values()) {
      if (job.terminal() != null) {
        finished++;
      }
    }
    long retainedBytes = retainedReplayBytes();
    Iterator<JobRecord> it = jobs.values().iterator();
    while (it.hasNext()) {
      JobRecord job = it.next();
      if (job.terminal() == null) {
        continue;
      }
      boolean overBudget = retainedBytes > config.replayBudgetBytes();
      if (finished > config.maxRetainedJobs() || job.finishedAtMillis() <= cutoff || overBudget) {
        it.remove();
        finished--;
        retainedBytes -= job.retainedBytes();
        if (overBudget) {
          LOG.info(
              "job_forgotten job={} reason=replay_budget budget_bytes={}",
              job.jobId,
              config.replayBudgetBytes());
        } else {
          LOG.debug("job_forgotten job={}", job.jobId);
        }
      }
    }
  }

  /**
   * Bytes held by finished jobs for a reattach, replay buffers and output-tree archives (counted
   * against the replay budget).
   */
  synchronized long retainedReplayBytes() {
    long total = 0;
    for (JobRecord job : jobs.values()) {
      if (job.terminal() != null) {
        total += job.retainedBytes();
      }
    }
    return total;
  }

  /** Output bytes held by every job's replay buffer, running or finished. */
  synchronized long bufferedOutputBytes() {
    long total = 0;
    for (JobRecord job : jobs.values()) {
      total += job.bufferedBytes();
    }
    return total;
  }

  @Override
  public void close() {
    timers.shutdownNow();
  }
}
