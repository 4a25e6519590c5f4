package io.phase.p2p.identify;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.phase.p2p.crypto.Ed25519PublicKey;
import io.phase.p2p.host.Connection;
import io.phase.p2p.host.ConnectionListener;
import io.phase.p2p.host.Host;
import io.phase.p2p.host.ProtocolListener;
import io.phase.p2p.host.Stream;
import io.phase.p2p.identify.pb.IdentifyProto;
import io.phase.p2p.multiaddr.Multiaddr;
import io.phase.p2p.multiformats.Varint;
import io.phase.p2p.peer.PeerId;
import io.phase.p2p.text.PrintableText;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Identify and Identify Push on a {@link Host}. {@link #attach(Host)} serves {@value #PROTOCOL} and
 * {@value #PUSH_PROTOCOL}, identifies every connection as it opens (and those already open), stores
 * results in a {@link PeerStore}, and pushes our updated protocol list to identified peers that
 * accept pushes whenever the host's protocols change.
 *
 * <p>Received messages are bounded: at most {@value #MAX_MESSAGES} messages of {@value
 * #MAX_MESSAGE_BYTES} bytes per stream, {@value #MAX_PROTOCOLS} protocols, {@value
 * #MAX_LISTEN_ADDRESSES} listen addresses; the public key must be the connection's authenticated
 * peer's. Listen or observed addresses with protocols we cannot parse are skipped. Signed peer
 * records (field 8) are neither sent nor checked: a received one is ignored, and the listen
 * addresses come from field 2 only.
 */
public final class Identify implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Identify.class);

  /** The Identify protocol id. */
  public static final String PROTOCOL = "/ipfs/id/1.0.0";

  /** The Identify Push protocol id. */
  public static final String PUSH_PROTOCOL = "/ipfs/id/push/1.0.0";

  /** The protocolVersion we announce. */
  public static final String PROTOCOL_VERSION = "ipfs/0.1.0";

  /** Largest Identify message accepted (the most go- and js-libp2p send or accept). */
  public static final int MAX_MESSAGE_BYTES = 8 * 1024;

  /** Most Identify messages read from one stream (as go- and js-libp2p). */
  public static final int MAX_MESSAGES = 10;

  /** Most protocols accepted from (and sent to) a peer. */
  public static final int MAX_PROTOCOLS = 128;

  /** Most listen addresses accepted from (and sent to) a peer. */
  public static final int MAX_LISTEN_ADDRESSES = 64;

  /** Default bound on one exchange, and on how long a sent stream waits for the peer to close. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  /** Protocol changes within this delay are sent as one push. */
  static final long PUSH_DELAY_MILLIS = 250;

  /** Concurrent inbound push streams per connection; more are reset. */
  static final int MAX_INBOUND_PUSHES = 2;

  private final Host host;
  private final PeerStore peerStore;
  private final Duration timeout;
  private final Ed25519PublicKey publicKey;
  private final AdvertisedAddresses advertised = new AdvertisedAddresses();
  private final Map<Connection, CompletableFuture<IdentifyResult>> inFlight =
      new ConcurrentHashMap<>();
  private final Map<Connection, AtomicInteger> inboundPushes = new ConcurrentHashMap<>();
  private final AtomicBoolean pushScheduled = new AtomicBoolean();
  private final ConnectionListener connectionListener;
  private final ProtocolListener protocolListener = protocols -> schedulePush();
  private volatile boolean closed;

  private Identify(Host host, PeerStore peerStore, Duration timeout) {
    this.host = host;
    this.peerStore = peerStore;
    this.timeout = timeout;
    this.publicKey =
        host.peerId()
            .publicKey()
            .orElseThrow(() -> new IllegalArgumentException("host peer id embeds no key"));
    this.connectionListener =
        new ConnectionListener() {
          @Override
          public void connectionOpened(Connection connection) {
            identifyOnOpen(connection);
          }

          @Override
          public void connectionClosed(Connection connection) {
            inboundPushes.remove(connection);
          }
        };
  }

  /** Attaches Identify to {@code host} with a new {@link PeerStore} and the default timeout. */
  public static Identify attach(Host host) {
    return attach(host, new PeerStore(), DEFAULT_TIMEOUT);
  }

  /**
   * Attaches Identify to {@code host}: serves both protocols, identifies open and new connections
   * and pushes protocol changes.
   *
   * @param timeout bounds each exchange (reading a peer's message, or waiting for the peer to close
   *     a stream we sent on)
   */
  public static Identify attach(Host host, PeerStore peerStore, Duration timeout) {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(peerStore, "peerStore");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive");
    }
    Identify identify = new Identify(host, peerStore, timeout);
    host.setStreamHandler(PROTOCOL, identify::respond);
    host.setStreamHandler(PUSH_PROTOCOL, identify::receivePush);
    host.setHousekeeping(PROTOCOL);
    host.setHousekeeping(PUSH_PROTOCOL);
    host.addConnectionListener(identify.connectionListener);
    host.addProtocolListener(identify.protocolListener);
    for (Connection c : host.connections()) {
      identify.identifyOnOpen(c);
    }
    return identify;
  }

  /** Where results are kept. */
  public PeerStore peerStore() {
    return peerStore;
  }

  /**
   * Identifies the peer of {@code connection}, stores and returns the result. If an exchange on
   * this connection is already running (e.g. the automatic one), returns that one.
   */
  public CompletableFuture<IdentifyResult> identify(Connection connection) {
    if (closed) {
      return CompletableFuture.failedFuture(new IOException("identify detached"));
    }
    CompletableFuture<IdentifyResult> fresh = new CompletableFuture<>();
    CompletableFuture<IdentifyResult> running = inFlight.putIfAbsent(connection, fresh);
    if (running != null) {
      return running;
    }
    fresh.whenComplete((r, e) -> inFlight.remove(connection, fresh));
    PeerId peer = connection.remotePeer();
    IdentifyReader reader = new IdentifyReader(timeout);
    host.newStream(connection, s -> s.channel().pipeline().addLast(reader), PROTOCOL)
        .whenComplete(
            (s, e) -> {
              if (e != null) {
                fresh.completeExceptionally(unwrap(e));
              }
            });
    reader
        .result()
        .whenComplete(
            (messages, e) -> {
              if (e != null) {
                fresh.completeExceptionally(e);
                return;
              }
              try {
                IdentifyResult result =
                    IdentifyMessages.toResult(messages, peer, true, Optional.empty());
                peerStore.put(result);
                fresh.complete(result);
              } catch (IdentifyException x) {
                fresh.completeExceptionally(x);
              }
            });
    return fresh;
  }

  /**
   * Sends our current information to the peer of {@code connection} on {@value #PUSH_PROTOCOL}.
   * Completes once the message is handed to the connection.
   */
  public CompletableFuture<Void> push(Connection connection) {
    if (closed) {
      return CompletableFuture.failedFuture(new IOException("identify detached"));
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    host.newStream(
            connection,
            s -> {
              OneShotSender sender =
                  new OneShotSender(message(s.channel().alloc(), connection), timeout);
              sender.sent().whenComplete((v, e) -> complete(done, e));
              s.channel().pipeline().addLast(sender);
            },
            PUSH_PROTOCOL)
        .whenComplete(
            (s, e) -> {
              if (e != null) {
                done.completeExceptionally(unwrap(e));
              }
            });
    return done;
  }

  /** Stops serving both protocols and stops identifying and pushing. The peer store is kept. */
  @Override
  public void close() {
    closed = true;
    host.removeProtocolListener(protocolListener);
    host.removeConnectionListener(connectionListener);
    host.removeStreamHandler(PROTOCOL);
    host.removeStreamHandler(PUSH_PROTOCOL);
  }

  // ---- internals ----

  private void identifyOnOpen(Connection connection) {
    identify(connection)
        .whenComplete(
            (r, e) -> {
              if (e == null) {
                LOG.info(
                    "identify_done peer={} agent={} protocols={} listen_addrs={} observed={}",
                    r.peer(),
                    PrintableText.token(r.agentVersion()),
                    r.protocols().size(),
                    r.listenAddresses().size(),
                    r.observedAddress().map(Multiaddr::toString).orElse("-"));
              } else {
                LOG.info(
                    "identify_failed peer={} remote={} reason={}",
                    connection.remotePeer(),
                    connection.channel().remoteAddress(),
                    unwrap(e).getMessage());
              }
            });
  }

  private void respond(Stream stream) {
    stream
        .channel()
        .pipeline()
        .addLast(
            new OneShotSender(message(stream.channel().alloc(), stream.connection()), timeout));
  }

  private void receivePush(Stream stream) {
    Connection connection = stream.connection();
    AtomicInteger active = inboundPushes.computeIfAbsent(connection, c -> new AtomicInteger());
    if (!connection.channel().isActive()) {
      inboundPushes.remove(connection);
      stream.reset();
      return;
    }
    if (active.incrementAndGet() > MAX_INBOUND_PUSHES) {
      active.decrementAndGet();
      LOG.info(
          "identify_push_refused peer={} reason=too_many_streams max={}",
          connection.remotePeer(),
          MAX_INBOUND_PUSHES);
      stream.reset();
      return;
    }
    PeerId peer = connection.remotePeer();
    IdentifyReader reader = new IdentifyReader(timeout);
    stream.channel().pipeline().addLast(reader);
    reader
        .result()
        .whenComplete(
            (messages, e) -> {
              active.decrementAndGet();
              if (e != null) {
                LOG.info("identify_push_failed peer={} reason={}", peer, e.getMessage());
                return;
              }
              try {
                IdentifyResult result =
                    IdentifyMessages.toResult(messages, peer, false, peerStore.get(peer));
                peerStore.put(result);
                LOG.info(
                    "identify_push_received peer={} protocols={} listen_addrs={}",
                    peer,
                    result.protocols().size(),
                    result.listenAddresses().size());
              } catch (IdentifyException x) {
                LOG.info("identify_push_rejected peer={} reason={}", peer, x.getMessage());
              }
            });
  }

  private void schedulePush() {
    if (closed) {
      return;
    }
    List<Connection> connections = host.connections();
    if (connections.isEmpty() || !pushScheduled.compareAndSet(false, true)) {
      return;
    }
    try {
      connections
          .get(0)
          .channel()
          .eventLoop()
          .schedule(this::pushToAll, PUSH_DELAY_MILLIS, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      pushScheduled.set(false);
    }
  }

  private void pushToAll() {
    pushScheduled.set(false);
    if (closed) {
      return;
    }
    for (Connection c : host.connections()) {
      boolean accepts =
          peerStore.get(c.remotePeer()).map(r -> r.supports(PUSH_PROTOCOL)).orElse(false);
      if (!c.isOpen() || !accepts) {
        continue;
      }
      push(c)
          .whenComplete(
              (v, e) -> {
                if (e != null) {
                  LOG.info(
                      "identify_push_send_failed peer={} reason={}",
                      c.remotePeer(),
                      unwrap(e).getMessage());
                }
              });
    }
  }

  /** Our message for {@code connection}, length-prefixed. */
  private ByteBuf message(ByteBufAllocator alloc, Connection connection) {
    IdentifyProto.Identify message =
        IdentifyMessages.build(
            host.agentVersion(),
            publicKey,
            advertised.expand(host.listenAddresses(), MAX_LISTEN_ADDRESSES),
            observed(connection),
            host.protocols());
    byte[] body = message.toByteArray();
    ByteBuf out = alloc.buffer(Varint.MAX_BYTES + body.length);
    out.writeBytes(Varint.encode(body.length));
    out.writeBytes(body);
    return out;
  }

  private static Optional<Multiaddr> observed(Connection connection) {
    SocketAddress remote = connection.channel().remoteAddress();
    if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
      return Optional.of(Multiaddr.fromSocketAddress(inet));
    }
    return Optional.empty();
  }

  private static void complete(CompletableFuture<Void> done, Throwable e) {
    if (e == null) {
      done.complete(null);
    } else {
      done.completeExceptionally(e);
    }
  }

  private static Throwable unwrap(Throwable e) {
    while ((e instanceof CompletionException || e instanceof ExecutionException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }
}
