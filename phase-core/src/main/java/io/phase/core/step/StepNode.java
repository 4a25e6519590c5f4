package io.phase.core.step;

import io.phase.core.client.ClientConfig;
import io.phase.core.client.DhtWorkerDirectory;
import io.phase.core.client.HandleState;
import io.phase.core.client.JobSpec;
import io.phase.core.client.PhaseClient;
import io.phase.core.client.StaticWorkerDirectory;
import io.phase.core.discovery.Capability;
import io.phase.core.discovery.DiscoveredWorker;
import io.phase.core.identity.NodeKey;
import io.phase.core.node.NodeConfig;
import io.phase.core.node.PhaseNode;
import io.phase.p2p.kad.KadMode;
import io.phase.p2p.multiaddr.Multiaddr;
import io.phase.p2p.peer.PeerId;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node a CI system embeds to dispatch steps: a Phase node (its key kept in a file, mode 0600),
 * joined to the DHT through the configured bootstrap peers, that runs each {@link StepRequest} on
 * the workers it finds ({@link #run}), follows a step again after a restart ({@link #resume}), and
 * lists the workers for a dashboard ({@link #workers}). {@link #close()} detaches every running
 * step without cancelling it, so a new node with the same key resumes them.
 */
public final class StepNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StepNode.class);

  /**
   * How the node runs.
   *
   * @param keyFile the node key (created 0600 if missing); the identity workers see
   * @param listen addresses to listen on (empty: dial out only, a DHT client)
   * @param bootstrap DHT peers to join through, each ending in {@code /p2p/<peer id>}
   * @param allowedWorkers the only workers steps may run on; empty for any worker
   * @param discoveryTimeout how long to wait for the DHT join and for workers, each
   * @param agentVersion what Identify tells peers
   */
  public record Config(
      Path keyFile,
      List<Multiaddr> listen,
      List<Multiaddr> bootstrap,
      Set<PeerId> allowedWorkers,
      Duration discoveryTimeout,
      String agentVersion) {
    public Config {
      Objects.requireNonNull(keyFile, "keyFile");
      listen = List.copyOf(listen);
      bootstrap = List.copyOf(bootstrap);
      allowedWorkers = Set.copyOf(allowedWorkers);
      Objects.requireNonNull(discoveryTimeout, "discoveryTimeout");
      Objects.requireNonNull(agentVersion, "agentVersion");
      if (discoveryTimeout.isNegative()
          || discoveryTimeout.isZero()
          || discoveryTimeout.compareTo(Duration.ofMinutes(10)) > 0) {
        throw new IllegalArgumentException("discovery timeout must be within 10 minutes");
      }
    }
  }

  private final Config config;
  private final PhaseNode node;
  private final Set<RemoteStep> running = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  private StepNode(Config config, PhaseNode node) {
    this.config = config;
    this.node = node;
  }

  /**
   * Loads or creates the key and starts the node (listening, joining in the background).
   *
   * @throws IOException if the key file is unsafe or unwritable, or listening fails
   */
  public static StepNode start(Config config) throws IOException {
    NodeKey key;
    try {
      key = NodeKey.loadOrCreate(config.keyFile());
    } catch (io.phase.core.identity.KeyFileException e) {
      throw new IOException(e.getMessage(), e);
    }
    NodeConfig nodeConfig =
        NodeConfig.of(key, config.listen(), config.agentVersion())
            .withBootstrap(config.bootstrap())
            .withDhtMode(config.listen().isEmpty() ? KadMode.CLIENT : KadMode.SERVER)
            .withLimits(PhaseClient.HOST_LIMITS);
    PhaseNode node = PhaseNode.start(nodeConfig);
    LOG.info(
        "step_node_started peer={} addresses={} bootstrap={} allowed_workers={}",
        node.peerId(),
        node.addresses(),
        config.bootstrap().size(),
        config.allowedWorkers().size());
    return new StepNode(config, node);
  }

  public PeerId peerId() {
    return node.peerId();
  }

  /** Addresses peers can dial, each ending in {@code /p2p/<peer id>}. */
  public List<Multiaddr> addresses() {
    return node.addresses();
  }

  public Config config() {
    return config;
  }

  /** True once the node has joined the DHT. */
  public boolean joined() {
    return node.joined().isDone();
  }

  /** The steps this node follows now. */
  public int runningSteps() {
    return running.size();
  }

  /**
   * Dispatches {@code request}, writing its output to {@code out} and its records to {@code dir}.
   * Reads the module on the calling thread; never waits for the network. Problems with the request
   * (missing module, bad workspace) end the step at once with their status.
   */
  public RemoteStep run(StepRequest request, Path dir, PrintStream out) throws IOException {
    StepFiles files = StepFiles.create(dir);
    JobSpec spec;
    try {
      if (closed) {
        throw new StepException(ExitStatus.PHASE_ERROR, "the Phase node is shutting down");
      }
      if (request.worker().isPresent()
          && !config.allowedWorkers().isEmpty()
          && !config.allowedWorkers().contains(request.worker().get())) {
        throw new StepException(
            ExitStatus.NO_WORKER,
            "worker " + request.worker().get() + " is not in the allowed workers");
      }
      spec = request.toJobSpec();
    } catch (StepException e) {
      return RemoteStep.failed(files, out, e);
    }
    Set<PeerId> allowed =
        request.worker().isPresent() ? Set.of(request.worker().get()) : config.allowedWorkers();
    PhaseClient client =
        new PhaseClient(
            node,
            new DhtWorkerDirectory(
                node.discovery(), spec.arch(), config.discoveryTimeout(), allowed),
            ClientConfig.defaults().withMaxAttempts(request.retries() + 1));
    RemoteStep step =
        new RemoteStep(
            files, out, client, spec.moduleHash(), spec.limits().maxOutputBytes(), running::remove);
    running.add(step);
    Duration join = config.discoveryTimeout();
    node.joined()
        .copy()
        .orTimeout(join.toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete(
            (ok, e) -> {
              if (e == null) {
                step.submit(listener -> client.submit(spec, listener));
              } else {
                step.abort(
                    new StepException(
                        ExitStatus.NETWORK_UNREACHABLE,
                        "no bootstrap peer could be reached within " + join.toSeconds() + " s"));
              }
            });
    return step;
  }

  /**
   * Follows the step recorded in {@code dir} again (after a restart), writing the rest of its
   * output to {@code out}. A step whose job was never dispatched ends with status 125.
   */
  public RemoteStep resume(Path dir, PrintStream out) {
    StepFiles files;
    Optional<HandleState> saved;
    try {
      files = StepFiles.open(dir);
      saved = files.readState();
    } catch (IOException e) {
      return RemoteStep.failed(
          StepFiles.at(dir),
          out,
          new StepException(ExitStatus.PHASE_ERROR, "cannot resume the step: " + e.getMessage()));
    }
    if (saved.isEmpty()) {
      return RemoteStep.failed(
          files,
          out,
          new StepException(
              ExitStatus.PHASE_ERROR,
              "cannot resume the step: no worker had accepted it before the restart"));
    }
    HandleState state = saved.get();
    PhaseClient client =
        new PhaseClient(
            node, new StaticWorkerDirectory(List.of()), ClientConfig.defaults().withMaxAttempts(1));
    RemoteStep step =
        new RemoteStep(
            files, out, client, state.moduleHash(), state.maxOutputBytes(), running::remove);
    running.add(step);
    try {
      step.resume(state);
    } catch (IOException e) {
      running.remove(step);
      client.close();
      return RemoteStep.failed(
          files,
          out,
          new StepException(ExitStatus.PHASE_ERROR, "cannot resume the step: " + e.getMessage()));
    }
    return step;
  }

  /**
   * The workers the node finds now, with their signed details (verified) and load; only those in
   * the allowed workers when that list is set. Waits for the DHT join first, up to {@code timeout},
   * then searches for up to {@code timeout}.
   */
  public CompletableFuture<List<DiscoveredWorker>> workers(Duration timeout) {
    Set<PeerId> allowed = config.allowedWorkers();
    return node.joined()
        .copy()
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .thenCompose(joined -> node.discovery().findWorkers(Capability.localArch(), timeout))
        .thenApply(
            found ->
                found.stream()
                    .filter(w -> allowed.isEmpty() || allowed.contains(w.peer()))
                    .toList());
  }

  /**
   * Detaches every running step (their jobs go on; {@link #resume} follows them) and stops the
   * node.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    List<RemoteStep> steps = new ArrayList<>(running);
    for (RemoteStep step : steps) {
      step.detach();
    }
    node.close();
    LOG.info("step_node_stopped peer={} detached_steps={}", node.peerId(), steps.size());
  }
}
