package io.phase.core.discovery;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.phase.core.protocol.EofCollector;
import io.phase.core.protocol.ProtocolException;
import io.phase.p2p.errors.Causes;
import io.phase.p2p.host.Connection;
import io.phase.p2p.host.Host;
import io.phase.p2p.host.Stream;
import io.phase.p2p.multiaddr.Multiaddr;
import io.phase.p2p.peer.PeerId;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@value #PROTOCOL_ID}: the asker opens a stream, sends nothing and half-closes; the worker
 * answers with its {@link SignedWorkerInfo} document (at most {@link SignedWorkerInfo#MAX_BYTES})
 * and half-closes. A request with any byte in it, or no FIN within the timeout, is reset. At most
 * {@value #MAX_CONCURRENT_INBOUND} requests are served at once; more are reset.
 */
public final class WorkerInfoProtocol {

  /** The protocol id. */
  public static final String PROTOCOL_ID = "/phase/worker-info/1.0.0";

  /** Requests served at once. */
  public static final int MAX_CONCURRENT_INBOUND = 16;

  private static final Logger LOG = LoggerFactory.getLogger(WorkerInfoProtocol.class);

  private WorkerInfoProtocol() {}

  /**
   * Serves {@value #PROTOCOL_ID} on {@code host}: each request gets a fresh document from {@code
   * document} (called on the stream's event loop: it must be quick).
   *
   * @param timeout how long a request may take to send its FIN
   */
  public static void serve(Host host, Supplier<byte[]> document, Duration timeout) {
    Objects.requireNonNull(document, "document");
    Semaphore permits = new Semaphore(MAX_CONCURRENT_INBOUND);
    host.setStreamHandler(
        PROTOCOL_ID,
        stream -> {
          Channel ch = stream.channel();
          if (!permits.tryAcquire()) {
            LOG.info("worker_info_refused peer={} reason=busy", stream.connection().remotePeer());
            stream.reset();
            return;
          }
          ch.closeFuture().addListener(f -> permits.release());
          ch.pipeline().addLast(new Responder(document, timeout));
        });
  }

  /** Stops serving. */
  public static void stop(Host host) {
    host.removeStreamHandler(PROTOCOL_ID);
  }

  /** Waits for the asker's FIN, refusing any payload, then writes the document. */
  private static final class Responder extends ChannelInboundHandlerAdapter {
    private final Supplier<byte[]> document;
    private final Duration timeout;
    private ScheduledFuture<?> deadline;

    Responder(Supplier<byte[]> document, Duration timeout) {
      this.document = document;
      this.timeout = timeout;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      deadline =
          ctx.executor()
              .schedule(
                  () -> Stream.of(ctx.channel()).reset(),
                  timeout.toMillis(),
                  TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      boolean empty = !(msg instanceof ByteBuf b) || !b.isReadable();
      ReferenceCountUtil.release(msg);
      if (!empty) {
        LOG.info("worker_info_refused reason=non_empty_request");
        Stream.of(ctx.channel()).reset();
      }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof ChannelInputShutdownReadComplete && ctx.channel().isActive()) {
        deadline.cancel(false);
        Stream stream = Stream.of(ctx.channel());
        byte[] doc;
        try {
          doc = document.get();
        } catch (RuntimeException e) {
          LOG.warn("worker_info_failed error=\"{}\"", Causes.rootMessage(e));
          stream.reset();
          return;
        }
        ctx.channel().writeAndFlush(Unpooled.wrappedBuffer(doc));
        stream.closeWrite();
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
      Stream.of(ctx.channel()).reset();
    }
  }

  /**
   * Asks {@code peer} for its document: over an open connection if there is one, else dialing
   * {@code addrs} in turn. Completes with the raw bytes (not yet verified) or fails after {@code
   * timeout}.
   */
  public static CompletableFuture<byte[]> fetch(
      Host host, PeerId peer, List<Multiaddr> addrs, Duration timeout) {
    CompletableFuture<byte[]> result = new CompletableFuture<>();
    result.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    connect(host, peer, addrs)
        .thenCompose(
            c ->
                c.newStream(
                    s -> s.channel().pipeline().addLast(new Collector(result)), PROTOCOL_ID))
        .whenComplete(
            (Stream s, Throwable e) -> {
              if (e != null) {
                result.completeExceptionally(e);
                return;
              }
              Channel ch = s.channel();
              result.whenComplete(
                  (r, x) -> {
                    if (x != null) {
                      s.reset();
                    } else if (ch.isOpen()) {
                      ch.close();
                    }
                  });
              s.closeWrite();
            });
    return result;
  }

  private static CompletableFuture<Connection> connect(
      Host host, PeerId peer, List<Multiaddr> addrs) {
    for (Connection c : host.connections(peer)) {
      if (c.isOpen()) {
        return CompletableFuture.completedFuture(c);
      }
    }
    List<Multiaddr> dialable =
        addrs.stream().filter(Multiaddr::isTcp).map(a -> a.withoutP2p().withP2p(peer)).toList();
    if (dialable.isEmpty()) {
      return CompletableFuture.failedFuture(
          new IOException("no connection and no TCP address for " + peer));
    }
    CompletableFuture<Connection> attempt = host.dial(dialable.get(0));
    for (Multiaddr next : dialable.subList(1, Math.min(dialable.size(), 8))) {
      attempt =
          attempt
              .handle((c, e) -> e == null ? CompletableFuture.completedFuture(c) : host.dial(next))
              .thenCompose(f -> f);
    }
    return attempt;
  }

  /** Collects the answer up to the cap, completing at the worker's FIN. */
  private static final class Collector extends ChannelInboundHandlerAdapter {
    private final CompletableFuture<byte[]> result;
    private final EofCollector bytes = new EofCollector(SignedWorkerInfo.MAX_BYTES);

    Collector(CompletableFuture<byte[]> result) {
      this.result = result;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      try {
        if (msg instanceof ByteBuf b) {
          bytes.append(b.nioBuffer());
        }
      } catch (ProtocolException e) {
        result.completeExceptionally(e);
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof ChannelInputShutdownEvent) {
        result.complete(bytes.toByteArray());
      }
      ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      result.completeExceptionally(new IOException("worker-info stream closed before its end"));
      ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      result.completeExceptionally(cause);
    }
  }
}
