package io.phase.core.client;

import io.phase.core.discovery.DiscoveredWorker;
import io.phase.core.discovery.Discovery;
import io.phase.p2p.peer.PeerId;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

/**
 * Workers found in the DHT for an architecture, with details verified as signed by each worker (see
 * {@link Discovery}). Optionally pinned to one worker.
 */
public final class DhtWorkerDirectory implements WorkerDirectory {
  private final Discovery discovery;
  private final String arch;
  private final Duration timeout;
  private final Optional<PeerId> only;

  public DhtWorkerDirectory(
      Discovery discovery, String arch, Duration timeout, Optional<PeerId> only) {
    this.discovery = Objects.requireNonNull(discovery, "discovery");
    this.arch = Objects.requireNonNull(arch, "arch");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.only = Objects.requireNonNull(only, "only");
  }

  @Override
  public CompletableFuture<List<WorkerCandidate>> find(String capability) {
    return discovery
        .findWorkers(arch, timeout)
        .thenApply(
            workers ->
                workers.stream()
                    .filter(w -> only.isEmpty() || only.get().equals(w.peer()))
                    .map(DhtWorkerDirectory::candidate)
                    .toList());
  }

  private static WorkerCandidate candidate(DiscoveredWorker worker) {
    var info = worker.info();
    return new WorkerCandidate(
        worker.peer(), worker.addresses(), OptionalInt.of(info.runningJobs() + info.queuedJobs()));
  }
}
