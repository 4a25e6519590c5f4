package io.phase.p2p.kad;

import io.phase.p2p.bytes.Bytes;
import io.phase.p2p.kad.routing.KadAddresses;
import io.phase.p2p.kad.routing.KadKey;
import io.phase.p2p.kad.routing.PeerInfo;
import io.phase.p2p.kad.routing.RoutingTable;
import io.phase.p2p.kad.store.InvalidRecordException;
import io.phase.p2p.kad.store.NamespacedValidator;
import io.phase.p2p.kad.store.ProviderStore;
import io.phase.p2p.kad.store.RecordStore;
import io.phase.p2p.kad.store.RecordValidator;
import io.phase.p2p.kad.wire.KadMessage;
import io.phase.p2p.kad.wire.KadMessageException;
import io.phase.p2p.kad.wire.KadRecord;
import io.phase.p2p.multiaddr.Multiaddr;
import io.phase.p2p.peer.PeerId;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kademlia DHT node in server mode: routing table, provider and record stores, request handling,
 * and the client operations (bootstrap, find peers, provide, find providers, put/get values) built
 * on {@link Lookup}s over a {@link KadNetwork}.
 *
 * <p>Peers enter the routing table only after answering one of our requests. A peer that sends us a
 * request while unknown is probed (a FIND_NODE for our own id, at most {@code maxPendingProbes} at
 * once) and added if it answers, so client-mode peers never pollute the table. Thread-safe.
 */
public final class KadNode {

  /**
   * Providers found for a key.
   *
   * @param providers distinct providers, at most the number asked for
   * @param lookup the lookup that found them ({@link LookupResult#local()} if none was needed)
   */
  public record ProvidersResult(List<PeerInfo> providers, LookupResult lookup) {
    /** Copies the list. */
    public ProvidersResult {
      providers = List.copyOf(providers);
    }
  }

  /**
   * The best value found for a key.
   *
   * @param record the best valid record, if any
   * @param lookup the lookup that found it
   */
  public record ValueResult(Optional<KadRecord> record, LookupResult lookup) {}

  private static final Logger LOG = LoggerFactory.getLogger(KadNode.class);

  private final PeerId local;
  private final Supplier<List<Multiaddr>> listenAddrs;
  private final KadNetwork network;
  private final KadConfig config;
  private final RoutingTable table;
  private final ProviderStore providerStore;
  private final RecordStore recordStore;
  private final KadRequestHandler handler;
  private final Semaphore inboundPermits;
  private final Set<PeerId> probing = ConcurrentHashMap.newKeySet();
  private final Lookup.Listener tableFeedback;
  private final List<LookupObserver> observers = new CopyOnWriteArrayList<>();

  /**
   * Creates a node.
   *
   * @param local our peer id
   * @param listenAddrs our current dialable addresses (announced in provider records)
   * @param network how to reach other peers
   * @param validator validator of value records (usually a {@link NamespacedValidator})
   */
  public KadNode(
      PeerId local,
      Supplier<List<Multiaddr>> listenAddrs,
      KadNetwork network,
      KadConfig config,
      RecordValidator validator,
      Clock clock) {
    this.local = Objects.requireNonNull(local, "local");
    this.listenAddrs = Objects.requireNonNull(listenAddrs, "listenAddrs");
    this.network = Objects.requireNonNull(network, "network");
    this.config = Objects.requireNonNull(config, "config");
    this.table = new RoutingTable(local, config.routingLimits(), this::isAlive, clock);
    this.providerStore = new ProviderStore(config.providerLimits(), clock);
    this.recordStore = new RecordStore(config.recordLimits(), validator, clock);
    this.handler = new KadRequestHandler(local, config, table, providerStore, recordStore);
    this.inboundPermits = new Semaphore(config.maxConcurrentInbound());
    this.tableFeedback =
        new Lookup.Listener() {
          @Override
          public void answered(PeerInfo peer) {
            table.peerAnswered(peer);
          }

          @Override
          public void failed(PeerId peer) {
            table.peerFailed(peer);
          }
        };
  }

  private CompletableFuture<Boolean> isAlive(PeerInfo peer) {
    return network
        .request(peer, KadMessage.findNode(local.toBytes()), config.livenessTimeout())
        .thenApply(r -> r.type() == KadMessage.Type.FIND_NODE);
  }

  /** Our peer id. */
  public PeerId localPeer() {
    return local;
  }

  /** Our peer info with current addresses. */
  public PeerInfo localInfo() {
    return new PeerInfo(
        local,
        KadAddresses.sanitize(
            local, listenAddrs.get(), config.maxAddrsPerPeer(), config.dialable()));
  }

  /** The configuration. */
  public KadConfig config() {
    return config;
  }

  /** The routing table. */
  public RoutingTable routingTable() {
    return table;
  }

  /** The provider store. */
  public ProviderStore providerStore() {
    return providerStore;
  }

  /** The record store. */
  public RecordStore recordStore() {
    return recordStore;
  }

  /**
   * Permits for concurrent inbound requests: the stream handler must {@code tryAcquire} one before
   * reading a request (resetting the stream if none is free) and release it when done.
   */
  public Semaphore inboundPermits() {
    return inboundPermits;
  }

  /**
   * Answers an inbound request from an authenticated {@code sender} and, if the sender is not in
   * the routing table, probes it in the background.
   *
   * @return the response, or empty for one-way messages
   * @throws KadMessageException if the request is refused (reset the stream)
   */
  public Optional<KadMessage> handleInbound(PeerInfo sender, KadMessage request)
      throws KadMessageException {
    maybeProbe(sender);
    return handler.handle(sender, request);
  }

  /**
   * Offers a peer learnt elsewhere (e.g. Identify reports that it serves the DHT): unless already
   * known, it is probed like an unknown sender and added to the routing table if it answers.
   */
  public void offerPeer(PeerInfo peer) {
    maybeProbe(peer);
  }

  private void maybeProbe(PeerInfo sender) {
    if (sender.id().equals(local) || table.contains(sender.id())) {
      return;
    }
    if (probing.size() >= config.maxPendingProbes() || !probing.add(sender.id())) {
      return;
    }
    CompletableFuture<KadMessage> probe;
    try {
      probe =
          network.request(sender, KadMessage.findNode(local.toBytes()), config.livenessTimeout());
    } catch (RuntimeException e) {
      probe = CompletableFuture.failedFuture(e);
    }
    probe.whenComplete(
        (r, error) -> {
          probing.remove(sender.id());
          if (error == null && r != null && r.type() == KadMessage.Type.FIND_NODE) {
            table.peerAnswered(sender);
          }
        });
  }

  /** Starts a lookup and tells the observers when it ends. */
  private CompletableFuture<LookupResult> lookup(
      KadKey target, KadMessage request, List<PeerInfo> seeds, Lookup.Collector c) {
    long start = System.nanoTime();
    CompletableFuture<LookupResult> result =
        new Lookup(local, target, request, seeds, network, config, c, tableFeedback).start();
    result.whenComplete(
        (r, e) -> {
          long nanos = System.nanoTime() - start;
          for (LookupObserver o : observers) {
            try {
              o.lookupFinished(request.type(), r == null ? null : r.termination(), nanos);
            } catch (RuntimeException failed) {
              LOG.warn("kad_lookup_observer_failed error={}", failed.toString());
            }
          }
        });
    return result;
  }

  /** Tells {@code observer} of every lookup that ends from now on. */
  public void addLookupObserver(LookupObserver observer) {
    observers.add(Objects.requireNonNull(observer, "observer"));
  }

  private List<PeerInfo> seeds(KadKey target) {
    return table.closest(target, config.k());
  }

  /**
   * Joins the network through {@code bootstrapPeers}: looks up our own id starting from them, which
   * fills the routing table with the peers that answer.
   */
  public CompletableFuture<LookupResult> bootstrap(List<PeerInfo> bootstrapPeers) {
    List<PeerInfo> seeds = new ArrayList<>(bootstrapPeers);
    seeds.addAll(seeds(KadKey.ofPeer(local)));
    KadKey self = KadKey.ofPeer(local);
    return lookup(self, KadMessage.findNode(local.toBytes()), seeds, (f, r, h) -> false);
  }

  /** Finds the {@code k} peers closest to {@code key} (SHA-256 of the bytes) that answer. */
  public CompletableFuture<LookupResult> findClosestPeers(byte[] key) {
    KadKey target = KadKey.of(key);
    return lookup(target, KadMessage.findNode(key), seeds(target), (f, r, h) -> false);
  }

  /** Finds a peer's addresses: from the routing table, else through a lookup. */
  public CompletableFuture<Optional<PeerInfo>> findPeer(PeerId peer) {
    Optional<PeerInfo> known = table.find(peer);
    if (known.isPresent()) {
      return CompletableFuture.completedFuture(known);
    }
    PeerInfo[] found = new PeerInfo[1];
    Lookup.Collector collector =
        (from, response, hop) -> {
          if (from.id().equals(peer)) {
            found[0] = from;
            return true;
          }
          for (PeerInfo p : response.closerPeers()) {
            if (p.id().equals(peer) && !p.addrs().isEmpty()) {
              found[0] = p;
              return true;
            }
          }
          return false;
        };
    KadKey target = KadKey.ofPeer(peer);
    return lookup(target, KadMessage.findNode(peer.toBytes()), seeds(target), collector)
        .thenApply(r -> Optional.ofNullable(found[0]));
  }

  /**
   * Announces us as a provider of {@code key}: stores the record locally, finds the {@code k}
   * closest peers and sends each an ADD_PROVIDER.
   *
   * @return the number of peers the announcement was delivered to
   */
  public CompletableFuture<Integer> provide(byte[] key) {
    PeerInfo self = localInfo();
    providerStore.addProvider(key, self);
    KadMessage announce = KadMessage.addProvider(key, self);
    return findClosestPeers(key)
        .thenCompose(
            r -> {
              List<CompletableFuture<Boolean>> sends = new ArrayList<>();
              for (PeerInfo p : r.closest()) {
                sends.add(
                    network
                        .send(p, announce, config.queryTimeout())
                        .handle((ok, error) -> error == null));
              }
              return CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
                  .thenApply(v -> (int) sends.stream().filter(CompletableFuture::join).count());
            })
        .whenComplete(
            (n, e) ->
                LOG.debug("kad_provide key={} delivered={}", KadMessage.printableKey(key), n));
  }

  /**
   * Finds up to {@code wanted} providers of {@code key}, stopping as soon as enough are known.
   * Local records count.
   */
  public CompletableFuture<ProvidersResult> findProviders(byte[] key, int wanted) {
    if (wanted <= 0) {
      throw new IllegalArgumentException("wanted must be positive: " + wanted);
    }
    ProviderCollector collector =
        new ProviderCollector(wanted, config, providerStore.providers(key, wanted));
    if (collector.satisfied()) {
      return CompletableFuture.completedFuture(
          new ProvidersResult(collector.providers(), LookupResult.local()));
    }
    KadKey target = KadKey.of(key);
    return lookup(target, KadMessage.getProviders(key), seeds(target), collector)
        .thenApply(r -> new ProvidersResult(collector.providers(), r));
  }

  /**
   * Stores a value: validates it, keeps it locally, and sends PUT_VALUE to the {@code k} closest
   * peers.
   *
   * @return the number of peers that accepted it
   */
  public CompletableFuture<Integer> putValue(byte[] key, byte[] value) {
    KadRecord record = KadRecord.of(key, value);
    try {
      recordStore.put(record);
    } catch (InvalidRecordException e) {
      return CompletableFuture.failedFuture(e);
    }
    KadMessage put = KadMessage.putValue(record);
    return findClosestPeers(key)
        .thenCompose(
            r -> {
              List<CompletableFuture<Boolean>> puts = new ArrayList<>();
              for (PeerInfo p : r.closest()) {
                puts.add(
                    network
                        .request(p, put, config.queryTimeout())
                        .handle(
                            (resp, error) ->
                                error == null && resp.type() == KadMessage.Type.PUT_VALUE));
              }
              return CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new))
                  .thenApply(v -> (int) puts.stream().filter(CompletableFuture::join).count());
            });
  }

  /**
   * Gets the best value of {@code key} once {@code quorum} valid answers are in (the local record
   * counts as one), then sends the best record to peers that returned a worse one.
   */
  public CompletableFuture<ValueResult> getValue(byte[] key, int quorum) {
    if (quorum <= 0) {
      throw new IllegalArgumentException("quorum must be positive: " + quorum);
    }
    KadRecord localRecord = recordStore.get(key).orElse(null);
    ValueCollector collector =
        new ValueCollector(key, recordStore.validator(), quorum, localRecord);
    if (localRecord != null && quorum == 1) {
      return CompletableFuture.completedFuture(
          new ValueResult(Optional.of(localRecord), LookupResult.local()));
    }
    KadKey target = KadKey.of(key);
    return lookup(target, KadMessage.getValue(key), seeds(target), collector)
        .thenApply(
            r -> {
              KadRecord best = collector.best();
              if (best != null) {
                KadMessage correction =
                    KadMessage.putValue(new KadRecord(Bytes.copyOf(key), best.value(), ""));
                for (PeerInfo stale : collector.outdated()) {
                  network.request(stale, correction, config.queryTimeout());
                }
              }
              return new ValueResult(Optional.ofNullable(best), r);
            });
  }
}
