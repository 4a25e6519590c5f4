package io.phase.core.node;

import io.phase.core.discovery.Discovery;
import io.phase.core.discovery.SignedWorkerInfo;
import io.phase.core.discovery.WorkerAdvertiser;
import io.phase.p2p.host.Host;
import io.phase.p2p.identify.Identify;
import io.phase.p2p.kad.KadIdentifyFeed;
import io.phase.p2p.kad.KadScheduler;
import io.phase.p2p.kad.KadService;
import io.phase.p2p.kad.KadServiceConfig;
import io.phase.p2p.kad.store.NamespacedValidator;
import io.phase.p2p.kad.store.PublicKeyValidator;
import io.phase.p2p.multiaddr.Multiaddr;
import io.phase.p2p.peer.PeerId;
import io.phase.p2p.ping.Ping;
import io.phase.p2p.transport.WildcardAddresses;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Phase node: a libp2p host with this node's key, listening, with Identify, the Kademlia
 * DHT ({@link KadService}: bootstrap, refresh, republish, fed by Identify), the client {@link
 * Discovery} API and, for workers, the {@link WorkerAdvertiser} that serves signed details and
 * provides the capability once the node has joined. The facade the CLI daemon (and later the
 * Jenkins plugin) starts and stops.
 */
public final class PhaseNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PhaseNode.class);
  private static final Duration LISTEN_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration READVERTISE_MIN = Duration.ofSeconds(5);
  private static final Duration READVERTISE_MAX = Duration.ofMinutes(5);

  private final Host host;
  private final List<Multiaddr> addresses;
  private final Identify identify;
  private final Ping ping;
  private final ScheduledExecutorService timers;
  private final KadService kad;
  private final KadIdentifyFeed identifyFeed;
  private final Discovery discovery;
  private final Optional<WorkerAdvertiser> advertiser;
  private final CompletableFuture<Void> advertised = new CompletableFuture<>();
  private volatile boolean closed;

  private PhaseNode(NodeConfig config, Host host, List<Multiaddr> addresses) {
    this.host = host;
    this.addresses = addresses;
    Clock clock = Clock.systemUTC();
    this.identify = Identify.attach(host);
    // js-libp2p kad-dht pings a new contact before adding it to its routing table.
    this.ping = Ping.attach(host);
    this.timers =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "phase-dht-timers");
              t.setDaemon(true);
              return t;
            });
    KadServiceConfig kadConfig =
        KadServiceConfig.builder().mode(config.dhtMode()).bootstrap(config.bootstrap()).build();
    this.kad =
        new KadService(
            host,
            kadConfig,
            KadIdentifyFeed.addressBook(identify.peerStore()),
            () -> addresses,
            new NamespacedValidator(Map.of("pk", new PublicKeyValidator())),
            KadScheduler.of(timers),
            clock);
    this.identifyFeed = KadIdentifyFeed.attach(host, identify, kad.node());
    this.discovery = new Discovery(host, kad.node(), clock, SignedWorkerInfo.DEFAULT_MAX_AGE);
    this.advertiser =
        config.worker().map(d -> new WorkerAdvertiser(host, kad, config.key(), d, clock));
  }

  /**
   * Starts the host, listens on every configured address (fails if any cannot be bound), starts the
   * DHT and, for a worker, serves its details and advertises once joined.
   */
  public static PhaseNode start(NodeConfig config) throws IOException {
    Host host =
        Host.builder()
            .identity(config.key().privateKey())
            .agentVersion(config.agentVersion())
            .limits(config.limits())
            .build();
    List<Multiaddr> dialable = new ArrayList<>();
    try {
      List<Multiaddr> bound =
          host.listen(config.listen().toArray(Multiaddr[]::new))
              .get(LISTEN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      for (int i = 0; i < bound.size(); i++) {
        dialable.addAll(WildcardAddresses.expand(config.listen().get(i), bound.get(i)));
      }
    } catch (ExecutionException e) {
      host.close();
      Throwable cause = e.getCause();
      throw cause instanceof IOException io ? io : new IOException(cause.getMessage(), cause);
    } catch (TimeoutException e) {
      host.close();
      throw new IOException("listening did not complete within " + LISTEN_TIMEOUT);
    } catch (InterruptedException e) {
      host.close();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while starting");
    }
    PhaseNode node;
    try {
      node = new PhaseNode(config, host, List.copyOf(dialable));
      node.startServices();
    } catch (RuntimeException e) {
      host.close();
      throw new IOException("cannot start the node: " + e.getMessage(), e);
    }
    LOG.info(
        "node_started peer={} addresses={} dht_mode={} bootstrap={} worker={}",
        host.peerId(),
        dialable,
        config.dhtMode(),
        config.bootstrap().size(),
        config.worker().isPresent());
    return node;
  }

  private void startServices() {
    kad.start();
    if (advertiser.isEmpty()) {
      advertised.cancel(false);
      return;
    }
    advertiser.get().serve();
    kad.joined().thenRun(() -> advertise(READVERTISE_MIN));
  }

  /**
   * Provides the capability; while the announcement reaches no other peer (e.g. the first node of a
   * network, alone), tries again with a doubling delay so that it spreads once peers join.
   */
  private void advertise(Duration retry) {
    if (closed) {
      return;
    }
    advertiser
        .get()
        .advertise()
        .whenComplete(
            (delivered, e) -> {
              if (closed) {
                return;
              }
              if (e == null) {
                advertised.complete(null);
              }
              if (e != null || delivered.stream().allMatch(n -> n == 0)) {
                Duration next = retry.multipliedBy(2);
                Duration capped = next.compareTo(READVERTISE_MAX) > 0 ? READVERTISE_MAX : next;
                try {
                  timers.schedule(() -> advertise(capped), retry.toMillis(), TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException closing) {
                  // stopping
                }
              }
            });
  }

  public PeerId peerId() {
    return host.peerId();
  }

  /** Addresses peers can dial, each ending in {@code /p2p/<peer id>}. */
  public List<Multiaddr> addresses() {
    return addresses.stream().map(a -> a.withP2p(host.peerId())).toList();
  }

  public Host host() {
    return host;
  }

  /** The DHT. */
  public KadService kad() {
    return kad;
  }

  /** Identify and its peer store. */
  public Identify identify() {
    return identify;
  }

  public Ping ping() {
    return ping;
  }

  /** Finding workers. */
  public Discovery discovery() {
    return discovery;
  }

  /**
   * Completes when the node has joined the DHT (a bootstrap peer answered, or no bootstrap peer is
   * configured). Never fails: wait with a timeout.
   */
  public CompletableFuture<Void> joined() {
    return kad.joined();
  }

  /**
   * For a worker, completes after the first capability announcement; cancelled for a node that is
   * not a worker.
   */
  public CompletableFuture<Void> advertised() {
    return advertised.copy();
  }

  /** Stops the DHT and closes connections gracefully (GoAway), bounded by a few seconds. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    advertiser.ifPresent(WorkerAdvertiser::close);
    identifyFeed.close();
    kad.close();
    timers.shutdownNow();
    identify.close();
    ping.close();
    host.close(CLOSE_TIMEOUT);
    LOG.info("node_stopped peer={}", host.peerId());
  }
}
