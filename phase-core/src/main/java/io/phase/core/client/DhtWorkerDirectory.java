package io.phase.core.client;

import io.phase.core.discovery.DiscoveredWorker;
import io.phase.core.discovery.Discovery;
import io.phase.p2p.peer.PeerId;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Workers found in the DHT for an architecture, with details verified as signed by each worker (see
 * {@link Discovery}). Optionally limited to some workers.
 */
public final class DhtWorkerDirectory implements WorkerDirectory {
  private final Discovery discovery;
  private final String arch;
  private final Duration timeout;
  private final Set<PeerId> allowed;

  /** Workers for {@code arch}, only {@code only} if given. */
  public DhtWorkerDirectory(
      Discovery discovery, String arch, Duration timeout, Optional<PeerId> only) {
    this(discovery, arch, timeout, only.map(Set::of).orElse(Set.of()));
  }

  /** Workers for {@code arch}, only those in {@code allowed} unless it is empty. */
  public DhtWorkerDirectory(
      Discovery discovery, String arch, Duration timeout, Set<PeerId> allowed) {
    this.discovery = Objects.requireNonNull(discovery, "discovery");
    this.arch = Objects.requireNonNull(arch, "arch");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.allowed = Set.copyOf(allowed);
  }

  @Override
  public CompletableFuture<List<WorkerCandidate>> find(String capability) {
    return discovery
        .findWorkers(arch, timeout)
        .thenApply(
            workers ->
                workers.stream()
                    .filter(w -> allowed.isEmpty() || allowed.contains(w.peer()))
                    .map(DhtWorkerDirectory::candidate)
                    .toList());
  }

  private static WorkerCandidate candidate(DiscoveredWorker worker) {
    var info = worker.info();
    return new WorkerCandidate(
        worker.peer(), worker.addresses(), OptionalInt.of(info.runningJobs() + info.queuedJobs()));
  }
}
