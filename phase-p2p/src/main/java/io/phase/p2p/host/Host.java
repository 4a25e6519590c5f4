package io.phase.p2p.host;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.phase.p2p.crypto.Ed25519PrivateKey;
import io.phase.p2p.errors.Causes;
import io.phase.p2p.mss.MultistreamCodec;
import io.phase.p2p.multiaddr.Multiaddr;
import io.phase.p2p.peer.PeerId;
import io.phase.p2p.transport.TcpTransport;
import io.phase.p2p.yamux.YamuxSession;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A libp2p host over TCP + Noise + Yamux. Thread-safe. Build with {@link #builder()}; close with
 * {@link #close(Duration)} (GoAway to every peer, wait for streams, then close).
 *
 * <pre>{@code
 * Host host = Host.builder().identity(key).listen(Multiaddr.parse("/ip4/0.0.0.0/tcp/0")).build();
 * host.setStreamHandler("/echo/1.0.0", s -> s.channel().pipeline().addLast(new EchoHandler()));
 * Connection c = host.dial(peerAddress).get(10, SECONDS);
 * Stream s = c.newStream("/echo/1.0.0").get(10, SECONDS);
 * }</pre>
 */
public final class Host implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Host.class);

  /**
   * Over the per-peer cap, a connection that has not yet carried an application stream is not
   * closed to make room until it is this old: it was just opened by a process about to use it.
   */
  static final Duration FRESH_CONNECTION_WINDOW = Duration.ofSeconds(10);

  private final Set<String> housekeeping = ConcurrentHashMap.newKeySet();

  private final Ed25519PrivateKey identity;
  private final PeerId peerId;
  private final String agentVersion;
  private final HostLimits limits;
  private final TcpTransport transport;
  private final ConnectionUpgrader upgrader;
  private final Map<String, StreamHandler> handlers = new ConcurrentHashMap<>();
  private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
  private final Map<PeerId, CompletableFuture<Connection>> pendingDials = new ConcurrentHashMap<>();
  private final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>();
  private final List<ProtocolListener> protocolListeners = new CopyOnWriteArrayList<>();
  private final List<Channel> servers = new CopyOnWriteArrayList<>();
  private final List<Multiaddr> listenAddresses = new CopyOnWriteArrayList<>();
  private final AtomicInteger pending = new AtomicInteger();
  private final AtomicInteger pendingInbound = new AtomicInteger();

  /** Inbound connections still upgrading, per remote IP address (entries removed at zero). */
  private final ConcurrentHashMap<InetAddress, AtomicInteger> pendingByAddress =
      new ConcurrentHashMap<>();

  /** Rate-limited WARN summaries of refused and silent inbound connections. */
  private final RefusalLog refusals =
      new RefusalLog(TimeUnit.SECONDS.toNanos(10), System::nanoTime, line -> LOG.warn(line));

  private final HostStats stats = new HostStats();
  private final ByteCounter byteCounter = new ByteCounter(stats);

  private volatile boolean closed;

  private final long freshConnectionWindowNanos;

  private Host(Builder b) {
    this.identity = b.identity;
    this.peerId = PeerId.fromPublicKey(identity.publicKey());
    this.agentVersion = b.agentVersion;
    this.limits = b.limits;
    this.freshConnectionWindowNanos = b.freshConnectionWindow.toNanos();
    this.transport =
        b.eventLoopGroup != null
            ? new TcpTransport(b.eventLoopGroup)
            : new TcpTransport(b.eventLoopThreads);
    this.upgrader = new ConnectionUpgrader(this, limits);
  }

  /** A builder with defaults: random identity, agent "phase/0.1.0", {@link HostLimits#DEFAULT}. */
  public static Builder builder() {
    return new Builder();
  }

  /** This host's peer id. */
  public PeerId peerId() {
    return peerId;
  }

  /** The agent version announced by Identify. */
  public String agentVersion() {
    return agentVersion;
  }

  /** The configured limits. */
  public HostLimits limits() {
    return limits;
  }

  /** Traffic, connections, streams and refusals now (see {@link HostStats.Snapshot}). */
  public HostStats.Snapshot stats() {
    int inbound = 0;
    int outbound = 0;
    int negotiated = 0;
    int streams = 0;
    for (Connection c : connections) {
      if (c.direction() == Direction.INBOUND) {
        inbound++;
      } else {
        outbound++;
      }
      streams += c.streamCount();
      negotiated += c.negotiatedStreamCount();
    }
    return new HostStats.Snapshot(
        stats.bytesIn.sum(),
        stats.bytesOut.sum(),
        inbound,
        outbound,
        pending.get(),
        negotiated,
        Math.max(0, streams - negotiated),
        stats.refusedByReason(),
        stats.upgradeFailures());
  }

  ByteCounter byteCounter() {
    return byteCounter;
  }

  Ed25519PrivateKey identity() {
    return identity;
  }

  // ---- listening ----

  /**
   * Starts listening on each {@code /ip4|ip6/<ip>/tcp/<port>} address (port 0 picks a free port).
   * Completes with the bound addresses.
   */
  public CompletableFuture<List<Multiaddr>> listen(Multiaddr... addresses) {
    List<CompletableFuture<Multiaddr>> binds = new ArrayList<>();
    for (Multiaddr address : addresses) {
      CompletableFuture<Multiaddr> bound = new CompletableFuture<>();
      binds.add(bound);
      if (!address.isTcp() || address.peerId().isPresent()) {
        bound.completeExceptionally(
            new IllegalArgumentException("can only listen on ip4/ip6 + tcp: " + address));
        continue;
      }
      ChannelFuture f =
          transport.bind(
              address.toSocketAddress(),
              inboundInitializer(),
              limits.maxPendingInboundHandshakes());
      f.addListener(
          x -> {
            if (!x.isSuccess()) {
              bound.completeExceptionally(
                  new IOException("cannot listen on " + address + ": " + x.cause(), x.cause()));
              return;
            }
            Channel server = f.channel();
            if (closed) {
              server.close();
              bound.completeExceptionally(new IOException("host closed"));
              return;
            }
            servers.add(server);
            Multiaddr actual =
                Multiaddr.fromSocketAddress((InetSocketAddress) server.localAddress());
            listenAddresses.add(actual);
            LOG.info("host_listening address={} peer={}", actual, peerId);
            bound.complete(actual);
          });
    }
    return CompletableFuture.allOf(binds.toArray(CompletableFuture[]::new))
        .thenApply(v -> binds.stream().map(CompletableFuture::join).toList());
  }

  /** The addresses currently listened on (without {@code /p2p/}). */
  public List<Multiaddr> listenAddresses() {
    return List.copyOf(listenAddresses);
  }

  private ChannelInitializer<SocketChannel> inboundInitializer() {
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(SocketChannel ch) {
        if (closed) {
          ch.close();
          return;
        }
        InetAddress ip = ch.remoteAddress() == null ? null : ch.remoteAddress().getAddress();
        if (ip == null) {
          ch.close();
          return;
        }
        // Per-address share first: a newcomer from an address at its share is refused even when
        // the global pool has room, so one address can never fill the pool and starve others.
        AtomicInteger mine = reservePending(ip);
        if (mine == null) {
          refuse(ch, "pending_per_address");
          return;
        }
        if (pendingInbound.incrementAndGet() > limits.maxPendingInboundHandshakes()) {
          pendingInbound.decrementAndGet();
          releasePending(ip, mine);
          refuse(ch, "pending_handshakes");
          return;
        }
        if (connections.size() + pending.get() >= limits.maxConnections()) {
          pendingInbound.decrementAndGet();
          releasePending(ip, mine);
          refuse(ch, "max_connections");
          return;
        }
        pending.incrementAndGet();
        ch.pipeline()
            .addFirst(
                "silent-guard",
                new SilentConnectionGuard(
                    limits.silentConnectionTimeout().toNanos(),
                    () -> {
                      stats.refused("silent_timeout");
                      refusals.refused("silent_timeout", ip.getHostAddress());
                    }));
        CompletableFuture<Connection> result = new CompletableFuture<>();
        result.whenComplete(
            (c, e) -> {
              pendingInbound.decrementAndGet();
              pending.decrementAndGet();
              releasePending(ip, mine);
              if (e != null) {
                stats.upgradeFailed(Direction.INBOUND);
                LOG.debug(
                    "inbound_upgrade_failed remote={} reason={}",
                    ch.remoteAddress(),
                    e.getMessage());
              }
            });
        upgrader.upgrade(ch, Direction.INBOUND, null, result);
      }
    };
  }

  /**
   * Takes one of {@code ip}'s pending-handshake slots, or returns null when the address already
   * holds {@link HostLimits#maxPendingInboundHandshakesPerAddress}.
   */
  private AtomicInteger reservePending(InetAddress ip) {
    int max = limits.maxPendingInboundHandshakesPerAddress();
    AtomicInteger[] taken = new AtomicInteger[1];
    pendingByAddress.compute(
        ip,
        (k, count) -> {
          AtomicInteger c = count == null ? new AtomicInteger() : count;
          if (c.get() < max) {
            c.incrementAndGet();
            taken[0] = c;
          }
          return c.get() == 0 ? null : c;
        });
    return taken[0];
  }

  private void releasePending(InetAddress ip, AtomicInteger slot) {
    pendingByAddress.computeIfPresent(
        ip, (k, count) -> count != slot ? count : count.decrementAndGet() <= 0 ? null : count);
  }

  /** Inbound connections from {@code ip} still upgrading (for tests and diagnostics). */
  int pendingInboundFrom(InetAddress ip) {
    AtomicInteger c = pendingByAddress.get(ip);
    return c == null ? 0 : c.get();
  }

  private void refuse(Channel ch, String reason) {
    InetSocketAddress remote = (InetSocketAddress) ch.remoteAddress();
    LOG.debug(
        "connection_refused remote={} reason={} connections={} pending={}",
        remote,
        reason,
        connections.size(),
        pending.get());
    stats.refused(reason);
    refusals.refused(reason, remote == null ? "unknown" : remote.getAddress().getHostAddress());
    ch.close();
  }

  // ---- dialing ----

  /**
   * Connects to the peer named by the address's {@code /p2p/} component, reusing an open connection
   * to that peer if there is one. Fails if the remote turns out to be a different peer.
   */
  public CompletableFuture<Connection> dial(Multiaddr address) {
    PeerId peer;
    try {
      peer =
          address
              .peerId()
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "dial address must end in /p2p/<peer-id>: " + address));
      if (peer.equals(peerId)) {
        throw new IllegalArgumentException("cannot dial self");
      }
      address.toSocketAddress();
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(e);
    }
    if (closed) {
      return CompletableFuture.failedFuture(new IOException("host closed"));
    }
    Connection existing = openConnection(peer);
    if (existing != null) {
      return CompletableFuture.completedFuture(existing);
    }
    CompletableFuture<Connection> fresh = new CompletableFuture<>();
    CompletableFuture<Connection> inFlight = pendingDials.putIfAbsent(peer, fresh);
    if (inFlight != null) {
      return inFlight;
    }
    fresh.whenComplete((c, e) -> pendingDials.remove(peer, fresh));
    if (connections.size() + pending.get() >= limits.maxConnections()) {
      LOG.info("dial_refused peer={} reason=max_connections", peer);
      fresh.completeExceptionally(
          new IOException("connection limit of " + limits.maxConnections() + " reached"));
      return fresh;
    }
    pending.incrementAndGet();
    fresh.whenComplete(
        (c, e) -> {
          pending.decrementAndGet();
          if (e != null) {
            stats.upgradeFailed(Direction.OUTBOUND);
          }
        });
    ChannelFuture connect =
        transport.connect(
            address.toSocketAddress(),
            new ChannelInitializer<>() {
              @Override
              protected void initChannel(Channel ch) {
                upgrader.upgrade(ch, Direction.OUTBOUND, peer, fresh);
              }
            },
            limits.handshakeTimeout());
    connect.addListener(
        f -> {
          if (!f.isSuccess()) {
            fresh.completeExceptionally(
                new IOException("cannot connect to " + address + ": " + f.cause(), f.cause()));
          }
        });
    return fresh;
  }

  // ---- streams ----

  /** Serves {@code protocolId} on inbound streams with {@code handler} (replacing any previous). */
  public void setStreamHandler(String protocolId, StreamHandler handler) {
    MultistreamCodec.validateProtocolId(protocolId);
    if (handlers.put(protocolId, Objects.requireNonNull(handler, "handler")) == null) {
      protocolsChanged();
    }
  }

  /**
   * Marks {@code protocolId} as housekeeping (identify, ping): its streams do not count as use of a
   * connection when the per-peer cap looks for an idle connection to close.
   */
  public void setHousekeeping(String protocolId) {
    housekeeping.add(Objects.requireNonNull(protocolId, "protocolId"));
  }

  boolean isHousekeeping(String protocolId) {
    return housekeeping.contains(protocolId);
  }

  /** Stops serving {@code protocolId}; streams already open are unaffected. */
  public void removeStreamHandler(String protocolId) {
    if (handlers.remove(protocolId) != null) {
      protocolsChanged();
    }
  }

  /** Registers a listener told whenever {@link #protocols()} changes. */
  public void addProtocolListener(ProtocolListener listener) {
    protocolListeners.add(Objects.requireNonNull(listener));
  }

  /** Removes a protocol listener. */
  public void removeProtocolListener(ProtocolListener listener) {
    protocolListeners.remove(listener);
  }

  private void protocolsChanged() {
    Set<String> now = protocols();
    for (ProtocolListener l : protocolListeners) {
      try {
        l.protocolsChanged(now);
      } catch (RuntimeException e) {
        LOG.warn("protocol_listener_failed error={}", Causes.rootMessage(e));
      }
    }
  }

  /** The protocol ids served. */
  public Set<String> protocols() {
    return Set.copyOf(handlers.keySet());
  }

  StreamHandler streamHandler(String protocolId) {
    return handlers.get(protocolId);
  }

  /**
   * Opens a stream on {@code connection} and negotiates the first supported of {@code protocols}.
   */
  public CompletableFuture<Stream> newStream(Connection connection, String... protocols) {
    return newStream(connection, null, protocols);
  }

  /**
   * As {@link #newStream(Connection, String...)}; {@code initializer} (may be null) runs on the
   * stream's event loop before the future completes, so handlers it adds see every byte.
   */
  public CompletableFuture<Stream> newStream(
      Connection connection, StreamHandler initializer, String... protocols) {
    if (protocols.length == 0) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("no protocols given"));
    }
    try {
      return StreamNegotiation.outbound(
          connection, Arrays.asList(protocols), initializer, limits.handshakeTimeout());
    } catch (IllegalArgumentException | IllegalStateException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Opens a stream on an open connection to {@code peer}; fails if there is none. */
  public CompletableFuture<Stream> newStream(PeerId peer, String... protocols) {
    Connection c = openConnection(peer);
    if (c == null) {
      return CompletableFuture.failedFuture(new IOException("no open connection to " + peer));
    }
    return newStream(c, protocols);
  }

  // ---- connections ----

  /** Registers a listener for connection events. */
  public void addConnectionListener(ConnectionListener listener) {
    listeners.add(Objects.requireNonNull(listener));
  }

  /** Removes a listener. */
  public void removeConnectionListener(ConnectionListener listener) {
    listeners.remove(listener);
  }

  /** Snapshot of established connections. */
  public List<Connection> connections() {
    return List.copyOf(connections);
  }

  /** Snapshot of established connections to {@code peer}. */
  public List<Connection> connections(PeerId peer) {
    return connections.stream().filter(c -> c.remotePeer().equals(peer)).toList();
  }

  private Connection openConnection(PeerId peer) {
    for (Connection c : connections) {
      if (c.remotePeer().equals(peer) && c.isOpen()) {
        return c;
      }
    }
    return null;
  }

  /** Admits an upgraded connection, or returns null if a limit refuses it. */
  Connection register(Channel channel, YamuxSession session, PeerId remote, Direction direction) {
    if (closed) {
      return null;
    }
    if (remote.equals(peerId)) {
      stats.refused("self");
      LOG.info("connection_refused remote={} reason=self", channel.remoteAddress());
      return null;
    }
    List<Connection> existing =
        connections.stream().filter(c -> c.remotePeer().equals(remote)).toList();
    long perPeer = existing.size();
    if (perPeer >= limits.maxConnectionsPerPeer()) {
      // One peer may be several processes sharing a key (e.g. concurrent `phase run`): make room
      // by closing the connection of that peer that has carried no stream for longest, rather
      // than refusing. A fresh one (no application stream yet, younger than the fresh window) is
      // not idle: its process is about to open its first stream.
      long now = System.nanoTime();
      Connection idle =
          existing.stream()
              .filter(c -> c.streamCount() == 0)
              .filter(
                  c ->
                      c.carriedApplicationStream()
                          || now - c.openedNanos() >= freshConnectionWindowNanos)
              .min(Comparator.comparingLong(c -> c.session().lastStreamChangeNanos()))
              .orElse(null);
      if (idle != null) {
        LOG.info(
            "connection_evicted peer={} remote={} reason=max_connections_per_peer existing={}"
                + " idle_ms={}",
            remote,
            idle.remoteAddress(),
            perPeer,
            TimeUnit.NANOSECONDS.toMillis(now - idle.session().lastStreamChangeNanos()));
        idle.close();
        perPeer--;
      }
    }
    if (perPeer >= limits.maxConnectionsPerPeer()) {
      stats.refused("max_connections_per_peer");
      LOG.info(
          "connection_refused remote={} peer={} reason=max_connections_per_peer existing={}",
          channel.remoteAddress(),
          remote,
          perPeer);
      return null;
    }
    Connection c = new Connection(this, channel, session, remote, direction);
    connections.add(c);
    LOG.info(
        "connection_opened peer={} remote={} direction={}",
        remote,
        channel.remoteAddress(),
        direction);
    channel
        .closeFuture()
        .addListener(
            f -> {
              if (connections.remove(c)) {
                LOG.info("connection_closed peer={} remote={}", remote, channel.remoteAddress());
                for (ConnectionListener l : listeners) {
                  notify(() -> l.connectionClosed(c));
                }
              }
            });
    for (ConnectionListener l : listeners) {
      notify(() -> l.connectionOpened(c));
    }
    return c;
  }

  private static void notify(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      LOG.warn("connection_listener_failed error={}", Causes.rootMessage(e));
    }
  }

  // ---- shutdown ----

  /**
   * Stops listening, sends GoAway on every connection, waits up to {@code timeout} for open streams
   * to finish (those whose protocol was agreed; a stream still negotiating carries nothing), then
   * closes everything. Must not be called from an event loop.
   */
  public void close(Duration timeout) {
    if (closed) {
      return;
    }
    closed = true;
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Channel s : servers) {
      s.close();
    }
    for (Connection c : connections) {
      c.session().goAway();
    }
    try {
      while (System.nanoTime() < deadline && connections.stream().anyMatch(Host::carriesStreams)) {
        Thread.sleep(10);
      }
      List<ChannelFuture> closing = new ArrayList<>();
      for (Connection c : connections) {
        closing.add(c.channel().close());
      }
      for (ChannelFuture f : closing) {
        f.await(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      }
      transport.shutdown(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    LOG.info("host_closed peer={}", peerId);
  }

  /** True while {@code c} is open with negotiated streams (asked on its event loop, bounded). */
  private static boolean carriesStreams(Connection c) {
    if (!c.channel().isActive()) {
      return false;
    }
    try {
      return c.channel()
          .eventLoop()
          .submit(() -> c.negotiatedStreamCount() > 0)
          .get(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
      return false;
    }
  }

  /** {@link #close(Duration)} with a 5 second timeout. */
  @Override
  public void close() {
    close(Duration.ofSeconds(5));
  }

  /** Configures a {@link Host}. */
  public static final class Builder {
    private Ed25519PrivateKey identity;
    private String agentVersion = "phase/0.1.0";
    private HostLimits limits = HostLimits.DEFAULT;
    private Duration freshConnectionWindow = FRESH_CONNECTION_WINDOW;
    private int eventLoopThreads;
    private EventLoopGroup eventLoopGroup;
    private final List<Multiaddr> listen = new ArrayList<>();

    private Builder() {}

    /** The identity key (default: a fresh random key). */
    public Builder identity(Ed25519PrivateKey key) {
      this.identity = Objects.requireNonNull(key);
      return this;
    }

    /** The agent version string. */
    public Builder agentVersion(String value) {
      if (value.isEmpty() || value.length() > 256) {
        throw new IllegalArgumentException("agent version must be 1..256 chars");
      }
      this.agentVersion = value;
      return this;
    }

    /** Addresses to listen on when built. */
    public Builder listen(Multiaddr... addresses) {
      listen.addAll(Arrays.asList(addresses));
      return this;
    }

    /** Resource limits. */
    public Builder limits(HostLimits value) {
      this.limits = Objects.requireNonNull(value);
      return this;
    }

    /**
     * How long a connection that has carried no application stream is safe from the per-peer cap
     * (tests; default {@link #FRESH_CONNECTION_WINDOW}).
     */
    Builder freshConnectionWindow(Duration value) {
      this.freshConnectionWindow = Objects.requireNonNull(value);
      return this;
    }

    /** Event loop threads; 0 (default) lets Netty choose. */
    public Builder eventLoopThreads(int value) {
      if (value < 0) {
        throw new IllegalArgumentException("eventLoopThreads must be >= 0");
      }
      this.eventLoopThreads = value;
      return this;
    }

    /**
     * Runs the host on an NIO event loop group owned by the caller, shared with other hosts (e.g.
     * hundreds of nodes in one JVM); closing the host leaves the group running. Overrides {@link
     * #eventLoopThreads}.
     */
    public Builder eventLoopGroup(EventLoopGroup shared) {
      this.eventLoopGroup = Objects.requireNonNull(shared, "shared");
      return this;
    }

    /**
     * Creates the host and binds the listen addresses (waiting up to the handshake timeout).
     *
     * @throws IOException if an address cannot be bound
     */
    public Host build() throws IOException {
      if (identity == null) {
        identity = Ed25519PrivateKey.generate();
      }
      Host host = new Host(this);
      if (!listen.isEmpty()) {
        try {
          host.listen(listen.toArray(Multiaddr[]::new))
              .get(limits.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
          host.close(Duration.ofSeconds(1));
          if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
          }
          throw new IOException("cannot start host: " + e.getMessage(), e);
        }
      }
      return host;
    }
  }
}
