package io.phase.core.worker;

import io.phase.core.exec.LocalExecutor;
import io.phase.core.identity.NodeKey;
import io.phase.core.protocol.OfferCodec;
import io.phase.core.protocol.RunMessage;
import io.phase.core.protocol.RunMessage.Sender;
import io.phase.core.protocol.netty.OfferResponder;
import io.phase.core.protocol.netty.RunFrameHandler;
import io.phase.core.sandbox.Sandbox;
import io.phase.p2p.host.Host;
import io.phase.p2p.peer.PeerId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker on a libp2p {@link Host}: serves {@code /phase/job-offer/1.0.0} and {@code
 * /phase/job-run/1.0.0}, admits jobs under a {@link WorkerPolicy}, holds modules by hash (they
 * travel only when missing), runs jobs in a {@link Sandbox} through a {@link LocalExecutor} that
 * signs receipts with the node key, streams output live, and keeps finished jobs attachable for a
 * retention period. Session logic runs on a small control pool, never on an event loop. Close it to
 * stop serving and cancel running jobs; the sandbox and node remain the caller's.
 */
public final class WorkerService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerService.class);

  private final Host host;
  private final WorkerConfig config;
  private final Admission admission;
  private final ModuleStore modules;
  private final InputTreeStore inputs;
  private final Path temporaryInputs;
  private final JobRegistry registry;
  private final LocalExecutor executor;
  private final ThreadPoolExecutor control;
  private volatile DishonestWorker dishonest;

  private WorkerService(
      Host host, NodeKey key, Sandbox sandbox, WorkerConfig config, InputStoreConfig store)
      throws IOException {
    this.host = host;
    this.config = config;
    this.temporaryInputs = store.dir() == null ? Files.createTempDirectory("phase-inputs-") : null;
    this.inputs =
        new InputTreeStore(
            store.dir() == null ? temporaryInputs : store.dir(),
            store.maxEntries(),
            store.maxBytes(),
            config.policy().maxWorkspaceBytes(),
            config.policy().maxWorkspaceEntries());
    Clock clock = Clock.systemUTC();
    this.admission = new Admission(config.policy(), clock);
    this.modules = new ModuleStore(config.moduleCacheEntries(), config.moduleCacheBytes());
    this.registry = new JobRegistry(config, clock);
    this.executor = new LocalExecutor(sandbox, key);
    AtomicInteger n = new AtomicInteger();
    this.control =
        new ThreadPoolExecutor(
            4,
            4,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "phase-worker-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    control.allowCoreThreadTimeOut(true);
  }

  /**
   * Starts serving both job protocols on {@code host}.
   *
   * @param key the node's key (signs receipts); must be the host's identity
   * @throws IllegalArgumentException if the key is not the host's, or the policy allows workspaces
   *     too large to hold in memory (2 GiB)
   */
  public static WorkerService start(Host host, NodeKey key, Sandbox sandbox, WorkerConfig config) {
    return start(host, key, sandbox, config, InputStoreConfig.temporary());
  }

  /**
   * As above, keeping input trees in the store {@code inputStore} describes.
   *
   * @throws IllegalArgumentException also if the input store cannot be opened
   */
  public static WorkerService start(
      Host host, NodeKey key, Sandbox sandbox, WorkerConfig config, InputStoreConfig inputStore) {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(sandbox, "sandbox");
    Objects.requireNonNull(config, "config");
    if (!key.peerId().equals(host.peerId())) {
      throw new IllegalArgumentException("the key is not the node's identity");
    }
    if (config.policy().maxWorkspaceBytes() >= Integer.MAX_VALUE - 64) {
      throw new IllegalArgumentException("maxWorkspaceBytes must be below 2 GiB");
    }
    WorkerService service;
    try {
      service = new WorkerService(host, key, sandbox, config, inputStore);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot open the input store: " + e.getMessage(), e);
    }
    PeerId self = host.peerId();
    host.setStreamHandler(
        OfferCodec.PROTOCOL_ID,
        stream -> {
          PeerId from = stream.connection().remotePeer();
          stream
              .channel()
              .pipeline()
              .addLast(new OfferResponder(offer -> service.admission.offer(from, offer, self)));
        });
    host.setStreamHandler(
        RunMessage.PROTOCOL_ID,
        stream -> {
          PeerId from = stream.connection().remotePeer();
          RunStreamServer server = new RunStreamServer(service, stream.channel(), from);
          stream.channel().pipeline().addLast(new RunFrameHandler(Sender.CLIENT, server));
        });
    LOG.info(
        "worker_started peer={} arch={} runtime={} open={}",
        self,
        config.policy().arch(),
        config.policy().wasmRuntime(),
        config.policy().allowlist().isEmpty());
    return service;
  }

  /** Modules held now. */
  public int cachedModules() {
    return modules.size();
  }

  /** Jobs known now (running and retained). */
  public int knownJobs() {
    return registry.size();
  }

  /** Output bytes held now by every job's replay buffer (running and finished). */
  public long bufferedOutputBytes() {
    return registry.bufferedOutputBytes();
  }

  /** Output bytes held now by finished jobs (bounded by {@link WorkerConfig#replayBudgetBytes}). */
  public long retainedReplayBytes() {
    return registry.retainedReplayBytes();
  }

  /** Jobs holding a run or queue slot now. */
  public int activeJobs() {
    return admission.admitted();
  }

  /** The jobs known now (running, and finished ones still retained), oldest first. */
  public List<JobSummary> jobs() {
    return registry.summaries();
  }

  /**
   * Tells {@code listener} of every job that ends from now on, once, on the thread that ended it (a
   * guest or control thread, never an event loop): return quickly.
   */
  public void addJobEndListener(Consumer<JobSummary> listener) {
    registry.addEndListener(Objects.requireNonNull(listener, "listener"));
  }

  /** Counters now. */
  public WorkerStats stats() {
    WorkerPolicy policy = config.policy();
    int active = admission.admitted();
    int running = Math.min(active, policy.maxConcurrentJobs());
    return new WorkerStats(
        running,
        active - running,
        admission.reservedMemoryMb(),
        policy.maxMemoryTotalMb(),
        registry.size(),
        admission.draining(),
        modules.size(),
        modules.hits(),
        modules.misses(),
        registry.bufferedOutputBytes());
  }

  public WorkerConfig config() {
    return config;
  }

  /**
   * Refuses new jobs from now on (offers and submits answer {@code QueueFull}); running jobs go on
   * and their clients may still reattach.
   */
  public void stopAccepting() {
    admission.drain();
    LOG.info("worker_draining peer={} active_jobs={}", host.peerId(), activeJobs());
  }

  /** Stops serving, cancels running jobs and stops the service's threads. */
  @Override
  public void close() {
    host.removeStreamHandler(OfferCodec.PROTOCOL_ID);
    host.removeStreamHandler(RunMessage.PROTOCOL_ID);
    registry.cancelAll();
    registry.close();
    control.shutdown();
    try {
      if (!control.awaitTermination(5, TimeUnit.SECONDS)) {
        control.shutdownNow();
      }
    } catch (InterruptedException e) {
      control.shutdownNow();
      Thread.currentThread().interrupt();
    }
    if (temporaryInputs != null) {
      deleteTree(temporaryInputs);
    }
    LOG.info("worker_stopped peer={}", host.peerId());
  }

  private static void deleteTree(Path dir) {
    try (var files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.deleteIfExists(f);
      }
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      LOG.warn("worker_input_store_cleanup_failed dir={} reason=\"{}\"", dir, e.getMessage());
    }
  }

  /** Input trees held in the store, for operators and tests. */
  public int storedInputTrees() {
    return inputs.size();
  }

  /** Input trees received over the wire and stored since start. */
  public long receivedInputTrees() {
    return inputs.stored();
  }

  /** Store entries found corrupt on read (and deleted) since start. */
  public long corruptInputTrees() {
    return inputs.corrupt();
  }

  /** Test hook: make this worker lie on the wire. */
  void dishonest(DishonestWorker hook) {
    this.dishonest = hook;
  }

  DishonestWorker dishonest() {
    return dishonest;
  }

  ExecutorService control() {
    return control;
  }

  Admission admission() {
    return admission;
  }

  ModuleStore modules() {
    return modules;
  }

  InputTreeStore inputs() {
    return inputs;
  }

  JobRegistry registry() {
    return registry;
  }

  LocalExecutor executor() {
    return executor;
  }
}
