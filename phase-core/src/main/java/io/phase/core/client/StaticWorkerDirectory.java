package io.phase.core.client;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A fixed list of known workers, offered for every capability. */
public final class StaticWorkerDirectory implements WorkerDirectory {
  private final List<WorkerCandidate> workers;

  public StaticWorkerDirectory(List<WorkerCandidate> workers) {
    this.workers = List.copyOf(workers);
  }

  @Override
  public CompletableFuture<List<WorkerCandidate>> find(String capability) {
    return CompletableFuture.completedFuture(workers);
  }
}
