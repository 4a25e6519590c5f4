package io.phase.p2p.host;

import io.netty.channel.Channel;
import io.phase.p2p.multiaddr.Multiaddr;
import io.phase.p2p.peer.PeerId;
import io.phase.p2p.yamux.YamuxSession;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/** An upgraded (Noise + Yamux) connection to an authenticated peer. */
public final class Connection {
  private final Host host;
  private final Channel channel;
  private final YamuxSession session;
  private final PeerId remotePeer;
  private final Direction direction;
  private final Instant openedAt = Instant.now();
  private final long openedNanos = System.nanoTime();
  private volatile boolean carriedApplicationStream;

  Connection(
      Host host, Channel channel, YamuxSession session, PeerId remotePeer, Direction direction) {
    this.host = host;
    this.channel = channel;
    this.session = session;
    this.remotePeer = remotePeer;
    this.direction = direction;
  }

  /** The authenticated peer at the other end. */
  public PeerId remotePeer() {
    return remotePeer;
  }

  /** The peer's address, ending in {@code /p2p/<peer-id>}. */
  public Multiaddr remoteAddress() {
    return Multiaddr.fromSocketAddress((InetSocketAddress) channel.remoteAddress())
        .withP2p(remotePeer);
  }

  /** Our end of the connection. */
  public Multiaddr localAddress() {
    return Multiaddr.fromSocketAddress((InetSocketAddress) channel.localAddress());
  }

  /** Who dialed. */
  public Direction direction() {
    return direction;
  }

  /** When the upgrade finished. */
  public Instant openedAt() {
    return openedAt;
  }

  /** {@link System#nanoTime()} when the upgrade finished. */
  long openedNanos() {
    return openedNanos;
  }

  /**
   * Whether a stream of an application protocol (not a housekeeping one such as identify or ping,
   * see {@link Host#setHousekeeping}) has been negotiated on this connection, either way.
   */
  public boolean carriedApplicationStream() {
    return carriedApplicationStream;
  }

  /** A stream of {@code protocolId} was negotiated on this connection. */
  void negotiated(String protocolId) {
    if (!host.isHousekeeping(protocolId)) {
      carriedApplicationStream = true;
    }
  }

  /** Whether new streams can be opened (connection open, no GoAway either way). */
  public boolean isOpen() {
    return channel.isActive() && !session.isClosing();
  }

  /** Number of open streams. */
  public int streamCount() {
    return session.streamCount();
  }

  /**
   * Number of open streams whose protocol was agreed: those a graceful close waits for. (Streams
   * still negotiating carry nothing yet; approximate off the event loop.)
   */
  public int negotiatedStreamCount() {
    return (int) session.streams().stream().filter(Stream::isNegotiated).count();
  }

  /** The yamux session (ping, GoAway, stream list). */
  public YamuxSession session() {
    return session;
  }

  /** The underlying TCP channel. */
  public Channel channel() {
    return channel;
  }

  /** Opens a stream and negotiates the first protocol the peer supports. */
  public CompletableFuture<Stream> newStream(String... protocols) {
    return host.newStream(this, protocols);
  }

  /** As {@link #newStream(String...)}, running {@code initializer} before the future completes. */
  public CompletableFuture<Stream> newStream(StreamHandler initializer, String... protocols) {
    return host.newStream(this, initializer, protocols);
  }

  /** Closes the connection (GoAway, then TCP close). */
  public CompletableFuture<Void> close() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    channel.close().addListener(f -> done.complete(null));
    return done;
  }

  @Override
  public String toString() {
    return "Connection[" + direction + " " + remotePeer + " " + channel.remoteAddress() + "]";
  }
}
