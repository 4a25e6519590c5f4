package io.phase.core.discovery;

import io.phase.p2p.errors.Causes;
import io.phase.p2p.host.Connection;
import io.phase.p2p.host.Direction;
import io.phase.p2p.host.Host;
import io.phase.p2p.kad.KadNode;
import io.phase.p2p.kad.routing.PeerInfo;
import io.phase.p2p.multiaddr.Multiaddr;
import io.phase.p2p.peer.PeerId;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds workers for a capability: looks up the providers of both {@link Capability} keys, merges
 * them by peer id, asks each for its {@link WorkerInfoProtocol worker info} and keeps only the
 * workers whose details verify (signed by the peer found, fresh). At most {@value #MAX_WORKERS}
 * workers per query; the result is sorted by load (running + queued), then peer id.
 */
public final class Discovery {
  /** Most workers looked up and asked per query. */
  public static final int MAX_WORKERS = 64;

  /** Most addresses reported per worker. */
  public static final int MAX_ADDRESSES = 8;

  private static final Logger LOG = LoggerFactory.getLogger(Discovery.class);
  private static final Duration INFO_TIMEOUT = Duration.ofSeconds(10);

  private final Host host;
  private final KadNode kad;
  private final Clock clock;
  private final Duration maxAge;

  /**
   * @param maxAge oldest worker details accepted (see {@link SignedWorkerInfo#DEFAULT_MAX_AGE})
   */
  public Discovery(Host host, KadNode kad, Clock clock, Duration maxAge) {
    this.host = Objects.requireNonNull(host, "host");
    this.kad = Objects.requireNonNull(kad, "kad");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.maxAge = Objects.requireNonNull(maxAge, "maxAge");
  }

  /**
   * Finds verified workers for {@code arch} within about {@code timeout}: two thirds of it for the
   * DHT lookups (partial results are used when it runs out), the rest for the details. Never fails;
   * workers that do not answer or do not verify are left out.
   */
  public CompletableFuture<List<DiscoveredWorker>> findWorkers(String arch, Duration timeout) {
    Capability.requireArch(arch);
    long start = System.nanoTime();
    long lookupMillis = Math.max(1, timeout.toMillis() * 2 / 3);
    List<CompletableFuture<List<PeerInfo>>> lookups = new ArrayList<>();
    for (byte[] key : Capability.keys(arch)) {
      lookups.add(
          kad.findProviders(key, MAX_WORKERS)
              .thenApply(KadNode.ProvidersResult::providers)
              .exceptionally(
                  e -> {
                    LOG.info("discovery_lookup_failed arch={} error={}", arch, e.toString());
                    return List.of();
                  })
              .completeOnTimeout(List.of(), lookupMillis, TimeUnit.MILLISECONDS));
    }
    return CompletableFuture.allOf(lookups.toArray(CompletableFuture[]::new))
        .thenCompose(
            v -> {
              Map<PeerId, Set<Multiaddr>> merged = new LinkedHashMap<>();
              for (CompletableFuture<List<PeerInfo>> l : lookups) {
                for (PeerInfo p : l.join()) {
                  if (p.id().equals(host.peerId())
                      || (!merged.containsKey(p.id()) && merged.size() >= MAX_WORKERS)) {
                    continue;
                  }
                  Set<Multiaddr> addrs = merged.computeIfAbsent(p.id(), x -> new LinkedHashSet<>());
                  for (Multiaddr a : p.addrs()) {
                    if (addrs.size() < MAX_ADDRESSES) {
                      addrs.add(a.withoutP2p());
                    }
                  }
                }
              }
              long left = timeout.toMillis() - (System.nanoTime() - start) / 1_000_000;
              Duration infoTimeout =
                  Duration.ofMillis(Math.max(1, Math.min(INFO_TIMEOUT.toMillis(), left)));
              List<CompletableFuture<DiscoveredWorker>> asks = new ArrayList<>();
              for (Map.Entry<PeerId, Set<Multiaddr>> e : merged.entrySet()) {
                asks.add(ask(e.getKey(), List.copyOf(e.getValue()), infoTimeout));
              }
              return CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new))
                  .thenApply(
                      x ->
                          asks.stream()
                              .map(CompletableFuture::join)
                              .filter(Objects::nonNull)
                              .sorted(
                                  Comparator.comparingInt(
                                          (DiscoveredWorker w) ->
                                              w.info().runningJobs() + w.info().queuedJobs())
                                      .thenComparing(w -> w.peer().toBase58()))
                              .toList());
            });
  }

  /** The verified worker, or null (logged) if it cannot be asked or does not verify. */
  private CompletableFuture<DiscoveredWorker> ask(
      PeerId peer, List<Multiaddr> addrs, Duration timeout) {
    return WorkerInfoProtocol.fetch(host, peer, addrs, timeout)
        .handle(
            (doc, error) -> {
              if (error != null) {
                LOG.info(
                    "discovery_worker_unreachable peer={} error=\"{}\"",
                    peer,
                    Causes.rootMessage(error));
                return null;
              }
              try {
                WorkerInfo info = SignedWorkerInfo.verify(doc, peer, clock.instant(), maxAge);
                return new DiscoveredWorker(peer, withConnectionAddress(peer, addrs), info);
              } catch (WorkerInfoException e) {
                LOG.warn("discovery_worker_rejected peer={} reason={}", peer, e.getMessage());
                return null;
              }
            });
  }

  /** The provider-record addresses, or the address we reached the peer at if there were none. */
  private List<Multiaddr> withConnectionAddress(PeerId peer, List<Multiaddr> addrs) {
    if (!addrs.isEmpty()) {
      return addrs;
    }
    List<Multiaddr> out = new ArrayList<>();
    for (Connection c : host.connections(peer)) {
      if (c.direction() == Direction.OUTBOUND) {
        out.add(c.remoteAddress().withoutP2p());
      }
    }
    return out;
  }
}
