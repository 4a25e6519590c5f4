package io.phase.core.client;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Finds workers offering a capability (e.g. {@code wasm32-wasi}); a DHT, or a static list. */
@FunctionalInterface
public interface WorkerDirectory {
  /** Candidates for {@code capability}; may complete with an empty list. */
  CompletableFuture<List<WorkerCandidate>> find(String capability);
}
