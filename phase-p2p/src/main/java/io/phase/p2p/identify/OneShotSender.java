package io.phase.p2p.identify;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.phase.p2p.host.Stream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Writes one message on a stream and half-closes it, discards whatever the peer sends, and closes
 * the stream if the peer has not closed its side within the timeout. Used by the Identify responder
 * and the Identify Push sender.
 */
final class OneShotSender extends ChannelInboundHandlerAdapter {
  private final ByteBuf message;
  private final Duration timeout;
  private final CompletableFuture<Void> sent = new CompletableFuture<>();
  private ScheduledFuture<?> timer;
  private boolean written;

  OneShotSender(ByteBuf message, Duration timeout) {
    this.message = message;
    this.timeout = timeout;
  }

  /** Completes once the message and the FIN were handed to the connection. */
  CompletableFuture<Void> sent() {
    return sent;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    written = true;
    ctx.channel().writeAndFlush(message);
    Stream.of(ctx.channel())
        .closeWrite()
        .addListener(
            f -> {
              if (f.isSuccess()) {
                sent.complete(null);
              } else {
                sent.completeExceptionally(
                    new IdentifyException("cannot send identify: " + f.cause()));
              }
            });
    timer = ctx.executor().schedule(() -> ctx.close(), timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    if (!written) {
      message.release();
    }
    if (timer != null) {
      timer.cancel(false);
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ReferenceCountUtil.release(msg);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (timer != null) {
      timer.cancel(false);
    }
    sent.completeExceptionally(new IdentifyException("stream closed before identify was sent"));
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
