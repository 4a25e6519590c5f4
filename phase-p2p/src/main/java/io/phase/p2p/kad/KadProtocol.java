package io.phase.p2p.kad;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.util.concurrent.ScheduledFuture;
import io.phase.p2p.host.Connection;
import io.phase.p2p.host.Direction;
import io.phase.p2p.host.Host;
import io.phase.p2p.host.Stream;
import io.phase.p2p.kad.routing.PeerInfo;
import io.phase.p2p.kad.wire.KadFrameDecoder;
import io.phase.p2p.kad.wire.KadMessage;
import io.phase.p2p.kad.wire.KadMessageException;
import io.phase.p2p.kad.wire.MessageCodec;
import io.phase.p2p.multiaddr.Multiaddr;
import io.phase.p2p.peer.PeerId;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /ipfs/kad/1.0.0} over a {@link Host}: the {@link KadNetwork} for outbound requests (one
 * request per stream: write it, read one response, close) and the inbound stream handler (read
 * requests, answer each, close on the peer's FIN, at most {@value #MAX_REQUESTS_PER_STREAM} per
 * stream). Frames are unsigned-varint length-prefixed, capped at {@link
 * MessageCodec#MAX_MESSAGE_BYTES}; anything malformed, oversized or late resets the stream. Every
 * wait has a timeout and nothing blocks an event loop.
 *
 * <pre>{@code
 * KadProtocol kad = new KadProtocol(host, Duration.ofSeconds(10), addressBook);
 * KadNode node = new KadNode(host.peerId(), announceAddrs, kad, config, validator, clock);
 * kad.serve(node);
 * }</pre>
 */
public final class KadProtocol implements KadNetwork {

  /** The protocol id. */
  public static final String PROTOCOL_ID = "/ipfs/kad/1.0.0";

  /** Requests answered on one inbound stream before it is closed. */
  public static final int MAX_REQUESTS_PER_STREAM = 32;

  private static final Logger LOG = LoggerFactory.getLogger(KadProtocol.class);

  private final Host host;
  private final Duration inboundTimeout;
  private final Function<PeerId, List<Multiaddr>> addressBook;

  /**
   * Creates the protocol for {@code host}.
   *
   * @param inboundTimeout how long an inbound stream may wait for its next request
   * @param addressBook listen addresses of a peer as learnt elsewhere (e.g. Identify), used for
   *     senders of inbound requests; the remote address of an inbound connection is never used, as
   *     it is not a listen address
   */
  public KadProtocol(
      Host host, Duration inboundTimeout, Function<PeerId, List<Multiaddr>> addressBook) {
    this.host = Objects.requireNonNull(host, "host");
    this.inboundTimeout = Objects.requireNonNull(inboundTimeout, "inboundTimeout");
    this.addressBook = Objects.requireNonNull(addressBook, "addressBook");
  }

  /** Starts answering inbound {@code /ipfs/kad/1.0.0} streams with {@code node}. */
  public void serve(KadNode node) {
    host.setStreamHandler(PROTOCOL_ID, stream -> accept(node, stream));
  }

  /** Stops answering inbound streams. */
  public void stop() {
    host.removeStreamHandler(PROTOCOL_ID);
  }

  // ---- outbound ----

  @Override
  public CompletableFuture<KadMessage> request(
      PeerInfo peer, KadMessage request, Duration timeout) {
    return exchange(peer, request, true, timeout);
  }

  @Override
  public CompletableFuture<Void> send(PeerInfo peer, KadMessage message, Duration timeout) {
    return exchange(peer, message, false, timeout).thenApply(m -> null);
  }

  private CompletableFuture<KadMessage> exchange(
      PeerInfo peer, KadMessage message, boolean expectResponse, Duration timeout) {
    byte[] frame;
    try {
      frame = MessageCodec.encodeFramed(message);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(e);
    }
    CompletableFuture<KadMessage> result = new CompletableFuture<>();
    result.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    connect(peer)
        .thenCompose(
            c ->
                c.newStream(
                    s -> {
                      if (expectResponse) {
                        s.channel()
                            .pipeline()
                            .addLast(
                                new KadFrameDecoder(MessageCodec.MAX_MESSAGE_BYTES),
                                new ResponseHandler(message.type(), result));
                      }
                    },
                    PROTOCOL_ID))
        .whenComplete(
            (stream, error) -> {
              if (error != null) {
                result.completeExceptionally(error);
                return;
              }
              Channel ch = stream.channel();
              result.whenComplete(
                  (r, e) -> {
                    if (e != null) {
                      stream.reset();
                    } else if (ch.isOpen()) {
                      ch.close();
                    }
                  });
              ch.writeAndFlush(Unpooled.wrappedBuffer(frame))
                  .addListener(
                      (ChannelFutureListener)
                          f -> {
                            if (!f.isSuccess()) {
                              result.completeExceptionally(f.cause());
                            } else if (!expectResponse) {
                              result.complete(null);
                            }
                          });
            });
    return result;
  }

  /** An open connection to the peer, else a dial of its TCP addresses one after another. */
  private CompletableFuture<Connection> connect(PeerInfo peer) {
    List<Connection> open = host.connections(peer.id());
    for (Connection c : open) {
      if (c.isOpen()) {
        return CompletableFuture.completedFuture(c);
      }
    }
    List<Multiaddr> dialable = new ArrayList<>();
    for (Multiaddr a : peer.addrs()) {
      if (a.isTcp()) {
        dialable.add(a.withoutP2p().withP2p(peer.id()));
      }
    }
    if (dialable.isEmpty()) {
      return CompletableFuture.failedFuture(
          new IOException("no connection and no dialable TCP address for " + peer.id()));
    }
    CompletableFuture<Connection> attempt = host.dial(dialable.get(0));
    for (int i = 1; i < dialable.size(); i++) {
      Multiaddr next = dialable.get(i);
      attempt =
          attempt
              .handle((c, e) -> e == null ? CompletableFuture.completedFuture(c) : host.dial(next))
              .thenCompose(f -> f);
    }
    return attempt;
  }

  /** Reads one response frame on an outbound stream and completes the request with it. */
  private static final class ResponseHandler extends SimpleChannelInboundHandler<byte[]> {
    private final KadMessage.Type expected;
    private final CompletableFuture<KadMessage> result;

    ResponseHandler(KadMessage.Type expected, CompletableFuture<KadMessage> result) {
      this.expected = expected;
      this.result = result;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, byte[] body) {
      try {
        KadMessage response = MessageCodec.decode(body);
        if (response.type() != expected) {
          throw new KadMessageException(
              "response type " + response.type() + " to a " + expected + " request");
        }
        result.complete(response);
      } catch (KadMessageException e) {
        result.completeExceptionally(e);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      result.completeExceptionally(new IOException("kad stream closed before a response"));
      ctx.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof ChannelInputShutdownEvent) {
        result.completeExceptionally(new IOException("kad stream ended before a response"));
      }
      ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      result.completeExceptionally(cause);
    }
  }

  // ---- inbound ----

  private void accept(KadNode node, Stream stream) {
    Channel ch = stream.channel();
    PeerId remote = stream.connection().remotePeer();
    if (!node.inboundPermits().tryAcquire()) {
      LOG.info("kad_stream_refused peer={} reason=max_concurrent_inbound", remote);
      stream.reset();
      return;
    }
    ch.closeFuture().addListener(f -> node.inboundPermits().release());
    List<Multiaddr> addrs = new ArrayList<>(addressBook.apply(remote));
    if (stream.connection().direction() == Direction.OUTBOUND) {
      addrs.add(stream.connection().remoteAddress().withoutP2p()); // we dialed it: it listens there
    }
    PeerInfo sender = new PeerInfo(remote, addrs);
    ch.pipeline()
        .addLast(
            new KadFrameDecoder(MessageCodec.MAX_MESSAGE_BYTES),
            new RequestHandler(node, sender, inboundTimeout));
  }

  /** Answers requests on an inbound stream, one at a time. */
  private static final class RequestHandler extends SimpleChannelInboundHandler<byte[]> {
    private final KadNode node;
    private final PeerInfo sender;
    private final Duration timeout;
    private ScheduledFuture<?> deadline;
    private int handled;

    RequestHandler(KadNode node, PeerInfo sender, Duration timeout) {
      this.node = node;
      this.sender = sender;
      this.timeout = timeout;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      armTimeout(ctx);
    }

    private void armTimeout(ChannelHandlerContext ctx) {
      if (deadline != null) {
        deadline.cancel(false);
      }
      deadline =
          ctx.executor()
              .schedule(
                  () -> {
                    LOG.debug("kad_stream_reset peer={} reason=timeout", sender.id());
                    Stream.of(ctx.channel()).reset();
                  },
                  timeout.toMillis(),
                  TimeUnit.MILLISECONDS);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, byte[] body) {
      Stream stream = Stream.of(ctx.channel());
      try {
        KadMessage request = MessageCodec.decode(body);
        handled++;
        Optional<KadMessage> response = node.handleInbound(sender, request);
        if (response.isPresent()) {
          ctx.writeAndFlush(Unpooled.wrappedBuffer(MessageCodec.encodeFramed(response.get())));
        }
        if (handled >= MAX_REQUESTS_PER_STREAM) {
          stream.closeWrite();
          return;
        }
        armTimeout(ctx);
      } catch (KadMessageException | RuntimeException e) {
        LOG.info("kad_request_refused peer={} reason={}", sender.id(), e.getMessage());
        stream.reset();
      }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof ChannelInputShutdownReadComplete) {
        // The peer is done: finish our side too (the channel closes once both sides are).
        Stream.of(ctx.channel()).closeWrite();
      }
      ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (deadline != null) {
        deadline.cancel(false);
      }
      ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      if (ctx.channel().isOpen()) {
        LOG.info("kad_stream_reset peer={} reason={}", sender.id(), cause.toString());
        Stream.of(ctx.channel()).reset();
      }
    }
  }
}
