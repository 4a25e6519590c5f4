package io.phase.p2p.host;

import java.time.Duration;

/**
 * Resource limits of a {@link Host}. Connections or streams over a limit are refused with a log
 * line ({@code connection_refused}; {@code yamux_stream_refused} at debug level).
 *
 * @param maxConnections established plus pending connections, both directions
 * @param maxConnectionsPerPeer established connections to one peer; when a new one would exceed it,
 *     one of the peer's connections without streams is closed to make room, else it is refused
 * @param maxStreamsPerConnection open yamux streams per connection (inbound beyond it are reset)
 * @param maxPendingInboundHandshakes inbound connections still upgrading at once
 * @param handshakeTimeout TCP connect plus the whole upgrade (mss, Noise, mss, Yamux), and each
 *     stream's protocol negotiation
 * @param idleTimeout a connection with no streams and no traffic for this long is closed
 * @param maxFrameLength largest yamux data frame accepted
 * @param streamReceiveWindow initial per-stream yamux receive window (256 KiB to 64 MiB)
 * @param maxStreamReceiveWindow largest window a stream's receive window may grow to when the
 *     application keeps up with a window-limited sender (from {@code streamReceiveWindow}, which
 *     disables growth, to 1 GiB)
 * @param connectionReceiveWindowBudget growth beyond the initial windows that all streams of one
 *     connection may hold together (0, which disables growth, to 1 GiB); closed streams return
 *     their share
 * @param hostReceiveWindowBudget growth beyond the initial windows that all connections of the host
 *     may hold together (0, which disables growth, to 64 GiB), so the sum stays bounded however
 *     many connections are open
 * @param keepAliveInterval yamux ping interval, {@link Duration#ZERO} to disable
 * @param maxPendingInboundHandshakesPerAddress inbound connections from one IP address still
 *     upgrading at once (at most {@code maxPendingInboundHandshakes}); a newcomer from an address
 *     at its share is refused, so one address cannot fill the pending pool
 * @param silentConnectionTimeout an inbound connection that has sent no byte for this long is
 *     closed (at most {@code handshakeTimeout}); one that has sent something gets the full {@code
 *     handshakeTimeout}
 */
public record HostLimits(
    int maxConnections,
    int maxConnectionsPerPeer,
    int maxStreamsPerConnection,
    int maxPendingInboundHandshakes,
    Duration handshakeTimeout,
    Duration idleTimeout,
    int maxFrameLength,
    int streamReceiveWindow,
    int maxStreamReceiveWindow,
    int connectionReceiveWindowBudget,
    long hostReceiveWindowBudget,
    Duration keepAliveInterval,
    int maxPendingInboundHandshakesPerAddress,
    Duration silentConnectionTimeout) {

  /** Defaults suited to a worker node. */
  public static final HostLimits DEFAULT =
      new HostLimits(
          512,
          16,
          256,
          64,
          Duration.ofSeconds(10),
          Duration.ofMinutes(5),
          1024 * 1024,
          256 * 1024,
          16 * 1024 * 1024,
          32 * 1024 * 1024,
          256L * 1024 * 1024,
          Duration.ofSeconds(30),
          16,
          Duration.ofSeconds(3));

  /** Validates the values. */
  public HostLimits {
    positive(maxConnections, "maxConnections");
    positive(maxConnectionsPerPeer, "maxConnectionsPerPeer");
    positive(maxStreamsPerConnection, "maxStreamsPerConnection");
    positive(maxPendingInboundHandshakes, "maxPendingInboundHandshakes");
    if (handshakeTimeout == null || handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
      throw new IllegalArgumentException("handshakeTimeout must be positive");
    }
    if (idleTimeout == null || idleTimeout.isNegative() || idleTimeout.isZero()) {
      throw new IllegalArgumentException("idleTimeout must be positive");
    }
    if (streamReceiveWindow < 256 * 1024 || streamReceiveWindow > 64 * 1024 * 1024) {
      throw new IllegalArgumentException("streamReceiveWindow must be in [256 KiB, 64 MiB]");
    }
    if (maxStreamReceiveWindow < streamReceiveWindow
        || maxStreamReceiveWindow > 1024 * 1024 * 1024) {
      throw new IllegalArgumentException(
          "maxStreamReceiveWindow must be in [streamReceiveWindow, 1 GiB]");
    }
    if (connectionReceiveWindowBudget < 0 || connectionReceiveWindowBudget > 1024 * 1024 * 1024) {
      throw new IllegalArgumentException("connectionReceiveWindowBudget must be in [0, 1 GiB]");
    }
    if (hostReceiveWindowBudget < 0 || hostReceiveWindowBudget > 64L * 1024 * 1024 * 1024) {
      throw new IllegalArgumentException("hostReceiveWindowBudget must be in [0, 64 GiB]");
    }
    if (keepAliveInterval == null || keepAliveInterval.isNegative()) {
      throw new IllegalArgumentException("keepAliveInterval must be zero or positive");
    }
    positive(maxPendingInboundHandshakesPerAddress, "maxPendingInboundHandshakesPerAddress");
    if (maxPendingInboundHandshakesPerAddress > maxPendingInboundHandshakes) {
      throw new IllegalArgumentException(
          "maxPendingInboundHandshakesPerAddress must be at most maxPendingInboundHandshakes");
    }
    if (silentConnectionTimeout == null
        || silentConnectionTimeout.isNegative()
        || silentConnectionTimeout.isZero()
        || silentConnectionTimeout.compareTo(handshakeTimeout) > 0) {
      throw new IllegalArgumentException(
          "silentConnectionTimeout must be positive and at most handshakeTimeout");
    }
  }

  /** The limits before admission control had its own settings, with its defaults. */
  public HostLimits(
      int maxConnections,
      int maxConnectionsPerPeer,
      int maxStreamsPerConnection,
      int maxPendingInboundHandshakes,
      Duration handshakeTimeout,
      Duration idleTimeout,
      int maxFrameLength,
      int streamReceiveWindow,
      int maxStreamReceiveWindow,
      int connectionReceiveWindowBudget,
      long hostReceiveWindowBudget,
      Duration keepAliveInterval) {
    this(
        maxConnections,
        maxConnectionsPerPeer,
        maxStreamsPerConnection,
        maxPendingInboundHandshakes,
        handshakeTimeout,
        idleTimeout,
        maxFrameLength,
        streamReceiveWindow,
        maxStreamReceiveWindow,
        connectionReceiveWindowBudget,
        hostReceiveWindowBudget,
        keepAliveInterval,
        Math.min(maxPendingInboundHandshakes, 16),
        min(Duration.ofSeconds(3), handshakeTimeout));
  }

  private static Duration min(Duration a, Duration b) {
    return a == null || b == null ? null : a.compareTo(b) <= 0 ? a : b;
  }

  /**
   * Copy with different inbound admission limits: pending handshakes in all, pending handshakes
   * from one IP address, and how long a connection may stay silent.
   */
  public HostLimits withAdmission(
      int maxPending, int maxPendingPerAddress, Duration silentTimeout) {
    return new HostLimits(
        maxConnections,
        maxConnectionsPerPeer,
        maxStreamsPerConnection,
        maxPending,
        handshakeTimeout,
        idleTimeout,
        maxFrameLength,
        streamReceiveWindow,
        maxStreamReceiveWindow,
        connectionReceiveWindowBudget,
        hostReceiveWindowBudget,
        keepAliveInterval,
        maxPendingPerAddress,
        silentTimeout);
  }

  private static void positive(int value, String name) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be at least 1");
    }
  }

  /** Copy with a different connection limit. */
  public HostLimits withMaxConnections(int value) {
    return new HostLimits(
        value,
        maxConnectionsPerPeer,
        maxStreamsPerConnection,
        maxPendingInboundHandshakes,
        handshakeTimeout,
        idleTimeout,
        maxFrameLength,
        streamReceiveWindow,
        maxStreamReceiveWindow,
        connectionReceiveWindowBudget,
        hostReceiveWindowBudget,
        keepAliveInterval,
        maxPendingInboundHandshakesPerAddress,
        silentConnectionTimeout);
  }

  /** Copy with a different per-connection stream limit. */
  public HostLimits withMaxStreamsPerConnection(int value) {
    return new HostLimits(
        maxConnections,
        maxConnectionsPerPeer,
        value,
        maxPendingInboundHandshakes,
        handshakeTimeout,
        idleTimeout,
        maxFrameLength,
        streamReceiveWindow,
        maxStreamReceiveWindow,
        connectionReceiveWindowBudget,
        hostReceiveWindowBudget,
        keepAliveInterval,
        maxPendingInboundHandshakesPerAddress,
        silentConnectionTimeout);
  }

  /** Copy with a different handshake timeout (the silent-connection timeout is capped by it). */
  public HostLimits withHandshakeTimeout(Duration value) {
    return new HostLimits(
        maxConnections,
        maxConnectionsPerPeer,
        maxStreamsPerConnection,
        maxPendingInboundHandshakes,
        value,
        idleTimeout,
        maxFrameLength,
        streamReceiveWindow,
        maxStreamReceiveWindow,
        connectionReceiveWindowBudget,
        hostReceiveWindowBudget,
        keepAliveInterval,
        maxPendingInboundHandshakesPerAddress,
        min(silentConnectionTimeout, value));
  }

  /** Copy with a different idle timeout. */
  public HostLimits withIdleTimeout(Duration value) {
    return new HostLimits(
        maxConnections,
        maxConnectionsPerPeer,
        maxStreamsPerConnection,
        maxPendingInboundHandshakes,
        handshakeTimeout,
        value,
        maxFrameLength,
        streamReceiveWindow,
        maxStreamReceiveWindow,
        connectionReceiveWindowBudget,
        hostReceiveWindowBudget,
        keepAliveInterval,
        maxPendingInboundHandshakesPerAddress,
        silentConnectionTimeout);
  }

  /**
   * Copy with different stream receive windows: the initial window, the most one stream may grow
   * to, and the growth budget of a connection.
   */
  public HostLimits withStreamReceiveWindows(int initial, int max, int connectionBudget) {
    return new HostLimits(
        maxConnections,
        maxConnectionsPerPeer,
        maxStreamsPerConnection,
        maxPendingInboundHandshakes,
        handshakeTimeout,
        idleTimeout,
        maxFrameLength,
        initial,
        max,
        connectionBudget,
        hostReceiveWindowBudget,
        keepAliveInterval,
        maxPendingInboundHandshakesPerAddress,
        silentConnectionTimeout);
  }

  /** Copy with a different host-wide budget for grown receive windows. */
  public HostLimits withHostReceiveWindowBudget(long value) {
    return new HostLimits(
        maxConnections,
        maxConnectionsPerPeer,
        maxStreamsPerConnection,
        maxPendingInboundHandshakes,
        handshakeTimeout,
        idleTimeout,
        maxFrameLength,
        streamReceiveWindow,
        maxStreamReceiveWindow,
        connectionReceiveWindowBudget,
        value,
        keepAliveInterval,
        maxPendingInboundHandshakesPerAddress,
        silentConnectionTimeout);
  }
}
