package io.phase.core.client;

import io.phase.core.client.JobFailedException.Kind;
import io.phase.core.concurrent.SerialExecutor;
import io.phase.core.node.PhaseNode;
import io.phase.core.sandbox.SandboxLimits;
import io.phase.core.workspace.WorkspaceArchive;
import io.phase.core.workspace.WorkspaceException;
import io.phase.p2p.host.HostLimits;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs jobs on remote workers, for the CLI and the Jenkins plugin. {@link #submit} returns at once
 * with a {@link JobHandle}; output and events reach the {@link JobListener} as they happen; the
 * outcome completes only after the receipt verified against the dispatched worker's key, the job
 * id, the module and exactly the output received. Failed attempts are retried on other workers (see
 * {@link ClientConfig}); output is never delivered twice.
 */
public final class PhaseClient implements AutoCloseable {
  /**
   * Host limits for a client's node: the defaults with stream receive windows of at most 2 MiB.
   * Output a worker has sent but the client not yet read lies within that window; if the connection
   * dies (the client stopped past the keep-alive), the reattach asks for it again, and a worker
   * keeps the most recent half of its replay buffer (4 MiB by default) of sent output for that. A
   * client with a larger window may find that output gone (replay_unavailable; the job is then run
   * again elsewhere).
   */
  public static final HostLimits HOST_LIMITS =
      HostLimits.DEFAULT.withStreamReceiveWindows(
          HostLimits.DEFAULT.streamReceiveWindow(),
          2 << 20,
          HostLimits.DEFAULT.connectionReceiveWindowBudget());

  private final PhaseNode node;
  private final WorkerDirectory directory;
  private final ClientConfig config;
  private final WorkerRanking ranking = new WorkerRanking(Clock.systemUTC());
  private final ThreadPoolExecutor drivers;
  private final ThreadPoolExecutor sessions;

  public PhaseClient(PhaseNode node, WorkerDirectory directory, ClientConfig config) {
    this.node = Objects.requireNonNull(node, "node");
    this.directory = Objects.requireNonNull(directory, "directory");
    this.config = Objects.requireNonNull(config, "config");
    this.drivers = pool("phase-client-job", 64);
    this.sessions = pool("phase-client-stream", 4);
  }

  private static ThreadPoolExecutor pool(String name, int threads) {
    AtomicInteger n = new AtomicInteger();
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            threads,
            threads,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, name + "-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  /** Dispatches {@code spec}; never blocks. */
  public JobHandle submit(JobSpec spec, JobListener listener) {
    JobRun run = newRun(listener);
    drivers.execute(
        () -> {
          byte[] workspace;
          List<PackedInput> inputs;
          try {
            workspace = pack(spec);
            inputs = packInputs(spec);
          } catch (JobFailedException e) {
            run.outcome().completeExceptionally(e);
            return;
          }
          List<WorkerCandidate> candidates;
          listener.onProgress(new JobProgress.Discovering(spec.capability()));
          try {
            candidates =
                directory
                    .find(spec.capability())
                    .get(config.exchangeTimeout().toMillis(), TimeUnit.MILLISECONDS);
          } catch (Exception e) {
            if (e instanceof InterruptedException) {
              Thread.currentThread().interrupt();
            }
            run.outcome()
                .completeExceptionally(
                    JobFailedException.of(
                        Kind.NO_WORKERS, null, "worker directory failed: " + e, e));
            return;
          }
          listener.onProgress(new JobProgress.Found(candidates.size()));
          run.submit(spec, workspace, inputs, candidates);
        });
    return new JobHandle(run);
  }

  /** Follows a job again from a saved {@link HandleState} (e.g. after a restart). */
  public JobHandle reattach(HandleState state, JobListener listener) {
    JobRun run = newRun(listener);
    drivers.execute(() -> run.reattach(state));
    return new JobHandle(run);
  }

  /** What this client knows about the workers it has used. */
  public List<PeerInfo> peers() {
    return ranking.snapshot();
  }

  private JobRun newRun(JobListener listener) {
    return new JobRun(
        node.host(), config, ranking, Objects.requireNonNull(listener, "listener"), serial());
  }

  private Executor serial() {
    ExecutorService pool = sessions;
    return new SerialExecutor(pool);
  }

  private static byte[] pack(JobSpec spec) throws JobFailedException {
    if (spec.workspace().isEmpty()) {
      return new byte[0];
    }
    SandboxLimits caps = SandboxLimits.DEFAULTS;
    try {
      return WorkspaceArchive.packToBytes(
          spec.workspace().get(), caps.maxWorkspaceBytes(), caps.maxWorkspaceFiles());
    } catch (WorkspaceException | IOException e) {
      throw JobFailedException.of(
          Kind.LOCAL, null, "cannot pack the workspace: " + e.getMessage(), e);
    }
  }

  private static List<PackedInput> packInputs(JobSpec spec) throws JobFailedException {
    List<PackedInput> packed = new java.util.ArrayList<>();
    for (JobSpec.InputMount mount : spec.inputs()) {
      try {
        packed.add(PackedInput.pack(mount));
      } catch (WorkspaceException | IOException e) {
        throw JobFailedException.of(
            Kind.LOCAL, null, "input " + mount.hostDir() + ": " + e.getMessage(), e);
      } catch (io.phase.core.protocol.ProtocolException e) {
        throw JobFailedException.of(Kind.LOCAL, null, e.getMessage(), e);
      }
    }
    return packed;
  }

  /** Stops the client's threads; jobs in flight fail. */
  @Override
  public void close() {
    drivers.shutdownNow();
    sessions.shutdownNow();
  }
}
