package io.phase.p2p.host;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.phase.p2p.mss.MultistreamException;
import io.phase.p2p.mss.MultistreamInitiator;
import io.phase.p2p.mss.MultistreamListener;
import io.phase.p2p.mss.MultistreamResponder;
import io.phase.p2p.noise.NoiseException;
import io.phase.p2p.noise.NoiseHandshakeHandler;
import io.phase.p2p.noise.NoiseListener;
import io.phase.p2p.noise.NoiseStaticKey;
import io.phase.p2p.peer.PeerId;
import io.phase.p2p.yamux.WindowGrowthPool;
import io.phase.p2p.yamux.YamuxConfig;
import io.phase.p2p.yamux.YamuxSession;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the pipeline of a raw TCP connection and drives its upgrade: multistream-select to {@code
 * /noise}, the Noise handshake, multistream-select to {@code /yamux/1.0.0}, then a yamux session.
 * The whole upgrade is bounded by the handshake timeout.
 */
final class ConnectionUpgrader {
  static final String YAMUX_PROTOCOL_ID = "/yamux/1.0.0";

  private static final Logger LOG = LoggerFactory.getLogger(ConnectionUpgrader.class);

  private final Host host;
  private final HostLimits limits;
  private final YamuxConfig yamuxConfig;
  private final NoiseStaticKey noiseStaticKey;
  private final WindowGrowthPool windowGrowth;

  ConnectionUpgrader(Host host, HostLimits limits) {
    this.host = host;
    this.limits = limits;
    this.noiseStaticKey = NoiseStaticKey.generate(host.identity());
    this.windowGrowth = new WindowGrowthPool(limits.hostReceiveWindowBudget());
    this.yamuxConfig =
        new YamuxConfig(
            limits.streamReceiveWindow(),
            limits.maxStreamReceiveWindow(),
            limits.connectionReceiveWindowBudget(),
            limits.maxStreamsPerConnection(),
            limits.maxFrameLength(),
            limits.keepAliveInterval());
  }

  /**
   * Upgrades {@code channel}; {@code result} completes with the connection or fails with the
   * reason. {@code expectedPeer} is required for outbound connections.
   */
  void upgrade(
      Channel channel,
      Direction direction,
      PeerId expectedPeer,
      CompletableFuture<Connection> result) {
    channel.pipeline().addFirst("bytes", host.byteCounter());
    Duration timeout = limits.handshakeTimeout();
    boolean initiator = direction == Direction.OUTBOUND;
    var timer =
        channel
            .eventLoop()
            .schedule(
                () -> {
                  if (!result.isDone()) {
                    LOG.info(
                        "connection_upgrade_timeout remote={} direction={} timeout_ms={}",
                        channel.remoteAddress(),
                        direction,
                        timeout.toMillis());
                    result.completeExceptionally(
                        new IOException("connection upgrade timed out after " + timeout));
                    channel.close();
                  }
                },
                timeout.toNanos(),
                TimeUnit.NANOSECONDS);
    channel
        .closeFuture()
        .addListener(
            f -> {
              timer.cancel(false);
              result.completeExceptionally(new IOException("connection closed during upgrade"));
            });
    result.whenComplete((c, e) -> timer.cancel(false));

    NoiseListener noiseListener =
        new NoiseListener() {
          @Override
          public void secured(ChannelHandlerContext ctx, PeerId remotePeer) {
            ctx.pipeline().addLast("mss-muxer", muxerNegotiation(initiator, remotePeer, result));
          }

          @Override
          public void failed(ChannelHandlerContext ctx, NoiseException cause) {
            result.completeExceptionally(cause);
          }
        };
    MultistreamListener securityListener =
        new MultistreamListener() {
          @Override
          public void selected(ChannelHandlerContext ctx, String protocolId) {
            ctx.pipeline()
                .addLast(
                    "noise",
                    new NoiseHandshakeHandler(
                        initiator, noiseStaticKey, expectedPeer, timeout, noiseListener));
          }

          @Override
          public void failed(ChannelHandlerContext ctx, MultistreamException cause) {
            result.completeExceptionally(cause);
          }
        };
    channel
        .pipeline()
        .addLast(
            "mss-security",
            initiator
                ? new MultistreamInitiator(
                    List.of(NoiseHandshakeHandler.PROTOCOL_ID), timeout, securityListener)
                : new MultistreamResponder(
                    NoiseHandshakeHandler.PROTOCOL_ID::equals, timeout, securityListener));
  }

  private io.netty.channel.ChannelHandler muxerNegotiation(
      boolean initiator, PeerId remotePeer, CompletableFuture<Connection> result) {
    MultistreamListener listener =
        new MultistreamListener() {
          @Override
          public void selected(ChannelHandlerContext ctx, String protocolId) {
            CompletableFuture<Connection> connection = new CompletableFuture<>();
            YamuxSession session =
                new YamuxSession(
                    initiator,
                    yamuxConfig,
                    StreamNegotiation.inbound(
                        host::streamHandler, limits.handshakeTimeout(), connection),
                    windowGrowth);
            Channel ch = ctx.channel();
            ctx.pipeline().addLast("yamux", session);
            // First in the pipeline, so it sees raw reads and writes.
            ctx.pipeline()
                .addFirst(
                    "idle",
                    new IdleStateHandler(
                        0, 0, limits.idleTimeout().toNanos(), TimeUnit.NANOSECONDS));
            ctx.pipeline().addLast("idle-close", new IdleCloser(session));
            Connection c =
                host.register(
                    ch, session, remotePeer, initiator ? Direction.OUTBOUND : Direction.INBOUND);
            if (c == null) {
              result.completeExceptionally(
                  new IOException("connection refused by limits for peer " + remotePeer));
              ch.close();
              return;
            }
            connection.complete(c);
            result.complete(c);
          }

          @Override
          public void failed(ChannelHandlerContext ctx, MultistreamException cause) {
            result.completeExceptionally(cause);
          }
        };
    Duration timeout = limits.handshakeTimeout();
    return initiator
        ? new MultistreamInitiator(List.of(YAMUX_PROTOCOL_ID), timeout, listener)
        : new MultistreamResponder(YAMUX_PROTOCOL_ID::equals, timeout, listener);
  }

  /** Closes a connection that has been idle (no traffic) while carrying no streams. */
  private static final class IdleCloser extends ChannelInboundHandlerAdapter {
    private final YamuxSession session;

    IdleCloser(YamuxSession session) {
      this.session = session;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
      if (evt instanceof IdleStateEvent && session.streamCount() == 0) {
        LOG.info("connection_idle_close remote={}", ctx.channel().remoteAddress());
        ctx.close();
        return;
      }
      super.userEventTriggered(ctx, evt);
    }
  }
}
