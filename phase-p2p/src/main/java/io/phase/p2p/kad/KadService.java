package io.phase.p2p.kad;

import io.phase.p2p.errors.Causes;
import io.phase.p2p.host.Host;
import io.phase.p2p.kad.routing.KadKey;
import io.phase.p2p.kad.routing.PeerInfo;
import io.phase.p2p.kad.routing.RoutingTableSnapshot;
import io.phase.p2p.kad.store.RecordValidator;
import io.phase.p2p.multiaddr.Multiaddr;
import io.phase.p2p.peer.PeerId;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running DHT on a {@link Host}: owns a {@link KadNode} and its {@link KadProtocol}, and does the
 * maintenance a long-lived node needs.
 *
 * <ul>
 *   <li><b>Mode</b>: {@link KadMode#SERVER} serves {@code /ipfs/kad/1.0.0}; {@link KadMode#CLIENT}
 *       only sends requests, so it never enters other peers' routing tables.
 *   <li><b>Bootstrap</b>: a self lookup seeded with the configured peers; while none answers, it is
 *       retried with exponential backoff (jittered, capped). {@link #joined()} completes at the
 *       first success, or at once when no bootstrap peer is configured.
 *   <li><b>Refresh</b> every {@code refreshInterval}: a self lookup (re-seeded with the bootstrap
 *       peers if the table has emptied) and random-key lookups in the farthest buckets.
 *   <li><b>Republish</b> every {@code republishInterval} (12 h by default, a quarter of the 48 h
 *       provider TTL): every key given to {@link #provide} is announced again.
 *   <li><b>Prune</b> of expired provider and value records every {@code pruneInterval}.
 * </ul>
 *
 * Maintenance runs one round of each kind at a time (the next is scheduled when one finishes), so
 * the work is bounded by the lookup limits. {@link #close()} cancels every timer and stops serving;
 * the host belongs to the caller. Thread-safe.
 */
public final class KadService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KadService.class);

  private final Host host;
  private final KadServiceConfig config;
  private final KadProtocol protocol;
  private final KadNode node;
  private final KadScheduler scheduler;
  private final RefreshTargets refreshTargets;
  private final List<PeerInfo> bootstrapPeers;
  private final Map<ByteBuffer, byte[]> provided = new LinkedHashMap<>();
  private final CompletableFuture<Void> joined = new CompletableFuture<>();
  private final Set<KadScheduler.Task> timers = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicInteger bootstrapAttempts = new AtomicInteger();
  private final AtomicInteger refreshRounds = new AtomicInteger();
  private final AtomicInteger republishRounds = new AtomicInteger();

  /**
   * Creates the service; nothing runs until {@link #start()}.
   *
   * @param addressBook listen addresses of peers learnt elsewhere (Identify), for peers that dial
   *     us
   * @param announceAddrs our dialable addresses, as announced in provider records
   * @param validator validator of value records
   * @param scheduler runs the timers
   * @param clock time of the stores
   */
  public KadService(
      Host host,
      KadServiceConfig config,
      Function<PeerId, List<Multiaddr>> addressBook,
      Supplier<List<Multiaddr>> announceAddrs,
      RecordValidator validator,
      KadScheduler scheduler,
      Clock clock) {
    this.host = Objects.requireNonNull(host, "host");
    this.config = Objects.requireNonNull(config, "config");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.protocol = new KadProtocol(host, config.inboundTimeout(), addressBook);
    this.node = new KadNode(host.peerId(), announceAddrs, protocol, config.kad(), validator, clock);
    this.refreshTargets = new RefreshTargets(KadKey.ofPeer(host.peerId()));
    List<PeerInfo> peers = new ArrayList<>();
    for (Multiaddr a : config.bootstrap()) {
      PeerId id = a.peerId().orElseThrow();
      if (!id.equals(host.peerId())) {
        peers.add(new PeerInfo(id, List.of(a.withoutP2p())));
      }
    }
    this.bootstrapPeers = List.copyOf(peers);
  }

  /** The DHT node (lookups, stores, routing table). */
  public KadNode node() {
    return node;
  }

  /** The configuration. */
  public KadServiceConfig config() {
    return config;
  }

  /** Serves the protocol (server mode), starts bootstrapping and the maintenance timers. */
  public void start() {
    if (closed.get()) {
      throw new IllegalStateException("closed");
    }
    if (!started.compareAndSet(false, true)) {
      return;
    }
    if (config.mode() == KadMode.SERVER) {
      protocol.serve(node);
    }
    LOG.info(
        "kad_service_started peer={} mode={} bootstrap={}",
        host.peerId(),
        config.mode(),
        bootstrapPeers.size());
    if (bootstrapPeers.isEmpty()) {
      joined.complete(null);
    } else {
      attemptBootstrap(config.bootstrapBackoffMin());
    }
    every(this::refreshRound, config.refreshInterval());
    every(this::republishRound, config.republishInterval());
    every(this::pruneRound, config.pruneInterval());
  }

  /**
   * Completes once a bootstrap peer answered (or at start, with no bootstrap peer configured);
   * never fails, so wait on it with a timeout.
   */
  public CompletableFuture<Void> joined() {
    return joined.copy();
  }

  /** Bootstrap attempts made so far. */
  public int bootstrapAttempts() {
    return bootstrapAttempts.get();
  }

  /** Refresh rounds completed so far. */
  public int refreshRounds() {
    return refreshRounds.get();
  }

  /** Republish rounds completed so far. */
  public int republishRounds() {
    return republishRounds.get();
  }

  // ---- bootstrap ----

  private void attemptBootstrap(Duration nextDelay) {
    if (closed.get() || joined.isDone()) {
      return;
    }
    int attempt = bootstrapAttempts.incrementAndGet();
    safely(() -> node.bootstrap(bootstrapPeers))
        .whenComplete(
            (r, e) -> {
              if (closed.get()) {
                return;
              }
              int size = node.routingTable().size();
              if (size > 0) {
                LOG.info(
                    "kad_bootstrap_joined peer={} attempt={} table_size={}",
                    host.peerId(),
                    attempt,
                    size);
                joined.complete(null);
                return;
              }
              Duration delay = jitter(nextDelay);
              LOG.info(
                  "kad_bootstrap_retry peer={} attempt={} delay_ms={} reason={}",
                  host.peerId(),
                  attempt,
                  delay.toMillis(),
                  e != null ? e.toString() : "no bootstrap peer answered");
              Duration after = nextDelay.multipliedBy(2);
              Duration capped =
                  after.compareTo(config.bootstrapBackoffMax()) > 0
                      ? config.bootstrapBackoffMax()
                      : after;
              after(() -> attemptBootstrap(capped), delay);
            });
  }

  /** {@code d} minus up to a quarter, so that nodes started together do not retry in lockstep. */
  private static Duration jitter(Duration d) {
    long nanos = d.toNanos();
    return Duration.ofNanos(nanos - ThreadLocalRandom.current().nextLong(nanos / 4 + 1));
  }

  // ---- maintenance ----

  private CompletableFuture<?> refreshRound() {
    CompletableFuture<?> chain;
    if (node.routingTable().size() == 0) {
      chain = safely(() -> node.bootstrap(bootstrapPeers));
    } else {
      chain = safely(() -> node.bootstrap(List.of()));
    }
    int deepest = deepestBucket();
    int lookups = Math.min(config.refreshLookups(), Math.min(deepest, RefreshTargets.MAX_CPL) + 1);
    for (int cpl = 0; cpl < lookups; cpl++) {
      int bucket = cpl;
      chain =
          chain
              .handle((r, e) -> null)
              .thenCompose(
                  v -> {
                    if (closed.get()) {
                      return CompletableFuture.completedFuture(null);
                    }
                    Optional<byte[]> key = refreshTargets.keyInBucket(bucket);
                    return key.isPresent()
                        ? safely(() -> node.findClosestPeers(key.get()))
                        : CompletableFuture.completedFuture(null);
                  });
    }
    return chain.whenComplete(
        (r, e) -> {
          refreshRounds.incrementAndGet();
          LOG.debug(
              "kad_refresh_done peer={} table_size={} random_lookups={}",
              host.peerId(),
              node.routingTable().size(),
              lookups);
        });
  }

  private int deepestBucket() {
    int deepest = -1;
    for (RoutingTableSnapshot.Bucket b : node.routingTable().snapshot().buckets()) {
      if (!b.peers().isEmpty()) {
        deepest = Math.max(deepest, b.commonPrefixLength());
      }
    }
    return deepest;
  }

  private CompletableFuture<?> republishRound() {
    List<byte[]> keys;
    synchronized (provided) {
      keys = List.copyOf(provided.values());
    }
    CompletableFuture<?> chain = CompletableFuture.completedFuture(null);
    for (byte[] key : keys) {
      chain =
          chain
              .handle((r, e) -> null)
              .thenCompose(
                  v ->
                      closed.get() || !isProvided(key)
                          ? CompletableFuture.completedFuture(null)
                          : safely(() -> node.provide(key)));
    }
    return chain.whenComplete(
        (r, e) -> {
          republishRounds.incrementAndGet();
          LOG.info("kad_republish_done peer={} keys={}", host.peerId(), keys.size());
        });
  }

  private CompletableFuture<?> pruneRound() {
    int providers = node.providerStore().prune();
    int records = node.recordStore().prune();
    LOG.debug("kad_prune_done peer={} providers={} records={}", host.peerId(), providers, records);
    return CompletableFuture.completedFuture(null);
  }

  /** Schedules {@code round} after {@code period}, and again {@code period} after each finishes. */
  private void every(Supplier<CompletableFuture<?>> round, Duration period) {
    after(
        () ->
            safely(round::get)
                .whenComplete(
                    (r, e) -> {
                      if (e != null) {
                        LOG.warn(
                            "kad_maintenance_failed peer={} error={}",
                            host.peerId(),
                            Causes.rootMessage(e));
                      }
                      if (!closed.get()) {
                        every(round, period);
                      }
                    }),
        period);
  }

  private void after(Runnable task, Duration delay) {
    if (closed.get()) {
      return;
    }
    KadScheduler.Task[] self = new KadScheduler.Task[1];
    Runnable wrapped =
        () -> {
          synchronized (self) {
            timers.remove(self[0]);
          }
          if (!closed.get()) {
            task.run();
          }
        };
    synchronized (self) {
      self[0] = scheduler.schedule(wrapped, delay);
      timers.add(self[0]);
    }
    if (closed.get()) {
      self[0].cancel();
    }
  }

  private static <T> CompletableFuture<T> safely(Supplier<CompletableFuture<T>> work) {
    try {
      return work.get();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  // ---- providing ----

  /**
   * Announces us as a provider of {@code key} now and at every republish until {@link
   * #stopProviding}.
   *
   * @return the number of peers the first announcement reached
   * @throws IllegalStateException if {@code maxProvidedKeys} keys are already provided
   */
  public CompletableFuture<Integer> provide(byte[] key) {
    if (closed.get()) {
      return CompletableFuture.failedFuture(new IllegalStateException("closed"));
    }
    ByteBuffer k = ByteBuffer.wrap(key.clone());
    synchronized (provided) {
      if (!provided.containsKey(k) && provided.size() >= config.maxProvidedKeys()) {
        throw new IllegalStateException(
            "already providing the maximum of " + config.maxProvidedKeys() + " keys");
      }
      provided.put(k, key.clone());
    }
    return safely(() -> node.provide(key));
  }

  /** Stops republishing {@code key} (records already stored elsewhere expire with their TTL). */
  public void stopProviding(byte[] key) {
    synchronized (provided) {
      provided.remove(ByteBuffer.wrap(key));
    }
  }

  private boolean isProvided(byte[] key) {
    synchronized (provided) {
      return provided.containsKey(ByteBuffer.wrap(key));
    }
  }

  /** Number of keys announced and republished. */
  public int providedKeyCount() {
    synchronized (provided) {
      return provided.size();
    }
  }

  /** Cancels the timers and stops serving; lookups under way end at their own deadlines. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    for (KadScheduler.Task t : List.copyOf(timers)) {
      t.cancel();
    }
    timers.clear();
    if (config.mode() == KadMode.SERVER && started.get()) {
      protocol.stop();
    }
    LOG.info("kad_service_stopped peer={}", host.peerId());
  }
}
