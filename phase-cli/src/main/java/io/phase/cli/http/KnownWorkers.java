package io.phase.cli.http;

import io.phase.core.discovery.Capability;
import io.phase.core.discovery.DiscoveredWorker;
import io.phase.core.node.PhaseNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workers this node finds in the DHT for its own arch, with their signed (and verified)
 * details, refreshed in the background: a dashboard request never waits for a DHT search.
 */
final class KnownWorkers {
  private static final Logger LOG = LoggerFactory.getLogger(KnownWorkers.class);

  /** Time given to one search. */
  static final Duration SEARCH_TIMEOUT = Duration.ofSeconds(15);

  /** Time between searches while no other worker is known. */
  static final Duration FORMING_INTERVAL = Duration.ofSeconds(5);

  /** A search result and when it was taken. */
  record Listing(List<DiscoveredWorker> workers, Instant at) {
    static final Listing NONE = new Listing(List.of(), Instant.EPOCH);
  }

  private final PhaseNode node;
  private final ScheduledExecutorService timers;
  private final Duration interval;
  private volatile Listing latest = Listing.NONE;

  KnownWorkers(PhaseNode node, ScheduledExecutorService timers, Duration interval) {
    this.node = node;
    this.timers = timers;
    this.interval = interval;
  }

  /** Starts searching once the node has joined the DHT, then every interval. */
  void start() {
    node.joined().thenRun(() -> timers.execute(this::search));
  }

  Listing latest() {
    return latest;
  }

  private void search() {
    CompletableFuture<List<DiscoveredWorker>> found;
    try {
      found = node.discovery().findWorkers(Capability.localArch(), SEARCH_TIMEOUT);
    } catch (RuntimeException e) {
      found = CompletableFuture.failedFuture(e);
    }
    found
        .orTimeout(SEARCH_TIMEOUT.toMillis() + 5_000, TimeUnit.MILLISECONDS)
        .whenComplete(
            (workers, e) -> {
              if (e == null) {
                latest = new Listing(List.copyOf(workers), Instant.now());
              } else {
                LOG.debug("http_worker_search_failed error={}", e.toString());
              }
              // Search again soon while no other worker is known (a network forming), else at
              // the interval.
              Duration next =
                  latest.workers().stream().anyMatch(w -> !w.peer().equals(node.peerId()))
                      ? interval
                      : FORMING_INTERVAL;
              try {
                timers.schedule(this::search, next.toMillis(), TimeUnit.MILLISECONDS);
              } catch (java.util.concurrent.RejectedExecutionException stopping) {
                // closed
              }
            });
  }
}
