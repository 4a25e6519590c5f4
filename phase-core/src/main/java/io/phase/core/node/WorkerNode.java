package io.phase.core.node;

import io.phase.core.discovery.Capability;
import io.phase.core.discovery.WorkerDetails;
import io.phase.core.discovery.WorkerLoad;
import io.phase.core.sandbox.Sandbox;
import io.phase.core.sandbox.SandboxConfig;
import io.phase.core.sandbox.SandboxLimits;
import io.phase.core.worker.InputStoreConfig;
import io.phase.core.worker.WorkerConfig;
import io.phase.core.worker.WorkerPolicy;
import io.phase.core.worker.WorkerService;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker daemon: a {@link PhaseNode} that advertises its capability and details (with its live
 * load), a sandbox sized by the operator's policy, and the {@link WorkerService} that runs jobs for
 * remote clients. What {@code phase node} runs; the Jenkins plugin can embed the same.
 */
public final class WorkerNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerNode.class);

  /** What happens to running jobs at shutdown. */
  public enum ShutdownMode {
    /** Stop accepting, let running jobs finish (bounded by the grace period), then stop. */
    FINISH,
    /** Cancel running jobs at once; their clients get a signed cancelled receipt or an error. */
    CANCEL
  }

  private final PhaseNode node;
  private final Sandbox sandbox;
  private final WorkerService service;

  private WorkerNode(PhaseNode node, Sandbox sandbox, WorkerService service) {
    this.node = node;
    this.sandbox = sandbox;
    this.service = service;
  }

  /**
   * Starts the node, the sandbox and the worker service. The node's advertised details come from
   * the policy (its maxima) and the service (its load).
   */
  public static WorkerNode start(NodeConfig config, WorkerPolicy policy) throws IOException {
    return start(config, WorkerConfig.defaults(policy));
  }

  /**
   * Starts the node, the sandbox and the worker service with {@code workerConfig} (its policy sizes
   * the sandbox and the advertised details; the rest tunes the service, e.g. the detach grace).
   */
  public static WorkerNode start(NodeConfig config, WorkerConfig workerConfig) throws IOException {
    return start(config, workerConfig, InputStoreConfig.temporary(), null, 0);
  }

  /**
   * As {@link #start(NodeConfig, WorkerConfig)}, keeping clients' input trees in the store {@code
   * inputStore} describes, and compiled modules in {@code compiledCacheDir} (at most {@code
   * compiledCacheBytes}) so a module is compiled once per machine and survives restarts; a null
   * directory keeps them in memory only.
   */
  public static WorkerNode start(
      NodeConfig config,
      WorkerConfig workerConfig,
      InputStoreConfig inputStore,
      Path compiledCacheDir,
      long compiledCacheBytes)
      throws IOException {
    WorkerPolicy policy = workerConfig.policy();
    AtomicReference<WorkerService> serviceRef = new AtomicReference<>();
    WorkerDetails local = WorkerDetails.local(() -> load(serviceRef.get(), policy));
    WorkerDetails details =
        new WorkerDetails(
            Capability.requireArch(policy.arch()),
            policy.cpuCores(),
            local.memoryMb(),
            local.runtimeName(),
            local.runtimeVersion(),
            policy.maxMemoryMb(),
            policy.maxTimeout().toMillis(),
            policy.maxModuleBytes(),
            local.load());
    SandboxLimits maximums =
        SandboxLimits.OPERATOR_DEFAULT_MAXIMUMS
            .withMemoryMb(policy.maxMemoryMb())
            .withTimeout(policy.maxTimeout())
            .withMaxOutputBytes(policy.maxOutputBytes())
            .withMaxModuleBytes(policy.maxModuleBytes())
            .withWorkspace(policy.maxWorkspaceBytes(), policy.maxWorkspaceEntries());
    Sandbox sandbox =
        new Sandbox(
            SandboxConfig.defaults()
                .withConcurrency(policy.maxConcurrentJobs(), policy.maxQueuedJobs())
                .withMemoryBudget(policy.maxMemoryTotalMb() << 20)
                .withMaximums(maximums)
                .withCompiledCache(compiledCacheDir, compiledCacheBytes));
    PhaseNode node;
    try {
      node = PhaseNode.start(config.withWorker(details));
    } catch (IOException | RuntimeException e) {
      sandbox.close();
      throw e;
    }
    try {
      WorkerService service =
          WorkerService.start(node.host(), config.key(), sandbox, workerConfig, inputStore);
      serviceRef.set(service);
      return new WorkerNode(node, sandbox, service);
    } catch (RuntimeException e) {
      node.close();
      sandbox.close();
      throw new IOException("cannot start the worker: " + e.getMessage(), e);
    }
  }

  private static WorkerLoad load(WorkerService service, WorkerPolicy policy) {
    if (service == null) {
      return WorkerLoad.IDLE;
    }
    int active = service.activeJobs();
    int running = Math.min(active, policy.maxConcurrentJobs());
    return new WorkerLoad(running, active - running);
  }

  public PhaseNode node() {
    return node;
  }

  public WorkerService service() {
    return service;
  }

  /** The sandbox jobs run in. */
  public Sandbox sandbox() {
    return sandbox;
  }

  /**
   * Stops the worker: with {@link ShutdownMode#FINISH}, new jobs are refused while running ones get
   * up to {@code grace} to end; then everything still running is cancelled and closed.
   */
  public void shutdown(ShutdownMode mode, Duration grace) {
    if (mode == ShutdownMode.FINISH) {
      long deadline = System.nanoTime() + grace.toNanos();
      service.stopAccepting();
      while (service.activeJobs() > 0 && System.nanoTime() < deadline) {
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      LOG.info("worker_drained remaining_jobs={}", service.activeJobs());
    }
    close();
  }

  @Override
  public void close() {
    service.close();
    node.close();
    sandbox.close();
  }
}
