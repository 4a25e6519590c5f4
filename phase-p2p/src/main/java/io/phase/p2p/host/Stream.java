package io.phase.p2p.host;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.util.AttributeKey;
import java.util.Objects;

/**
 * A negotiated stream, whatever muxer carries it: its channel (add protocol handlers to its
 * pipeline), the protocol id agreed by multistream-select, the connection it runs on, and what
 * protocols do with a stream besides reading and writing: half-close, reset, id. Protocol code uses
 * this type, never the muxer's; a handler that only has its channel finds the stream with {@link
 * #of(Channel)}.
 */
public final class Stream {
  private static final AttributeKey<Stream> KEY = AttributeKey.valueOf("phase.stream");

  private final MuxedChannel muxed;
  private final String protocol;
  private final Connection connection;

  Stream(MuxedChannel muxed, String protocol, Connection connection) {
    this.muxed = Objects.requireNonNull(muxed, "muxed");
    this.protocol = Objects.requireNonNull(protocol, "protocol");
    this.connection = Objects.requireNonNull(connection, "connection");
    muxed.channel().attr(KEY).set(this);
  }

  /**
   * The stream a negotiated stream's channel belongs to.
   *
   * @throws IllegalStateException if {@code channel} is not a negotiated stream
   */
  public static Stream of(Channel channel) {
    Stream stream = channel.attr(KEY).get();
    if (stream == null) {
      throw new IllegalStateException("not a negotiated stream: " + channel);
    }
    return stream;
  }

  /** True once {@code channel} is a negotiated stream (its protocol agreed). */
  static boolean isNegotiated(Channel channel) {
    return channel.hasAttr(KEY);
  }

  /** The stream as a Netty channel: add protocol handlers to its pipeline. */
  public Channel channel() {
    return muxed.channel();
  }

  /** The protocol id agreed by multistream-select. */
  public String protocol() {
    return protocol;
  }

  /** The connection carrying the stream. */
  public Connection connection() {
    return connection;
  }

  /** The muxer's id of the stream (unique within its connection while open). */
  public long id() {
    return muxed.id();
  }

  /** Half-close: ends our side (FIN) while the peer's data still arrives. */
  public ChannelFuture closeWrite() {
    return muxed.closeWrite();
  }

  /** Aborts the stream in both directions at once (RST): for errors and refusals. */
  public ChannelFuture reset() {
    return muxed.reset();
  }

  /** True if the peer aborted the stream (RST). */
  public boolean isResetByPeer() {
    return muxed.isResetByPeer();
  }

  @Override
  public String toString() {
    return "Stream[" + protocol + " #" + id() + " " + connection.remotePeer() + "]";
  }
}
