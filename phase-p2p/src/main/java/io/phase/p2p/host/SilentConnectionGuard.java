package io.phase.p2p.host;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes an inbound connection that sends no byte within a deadline, so a silent peer holds a
 * pending-handshake slot for that long rather than for the whole handshake timeout. Removes itself
 * at the first byte; a connection that is progressing then gets the full handshake deadline.
 */
final class SilentConnectionGuard extends ChannelInboundHandlerAdapter {

  private final long timeoutNanos;
  private final Runnable onSilent;
  private ScheduledFuture<?> timer;

  SilentConnectionGuard(long timeoutNanos, Runnable onSilent) {
    this.timeoutNanos = timeoutNanos;
    this.onSilent = onSilent;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    timer =
        ctx.executor()
            .schedule(
                () -> {
                  if (ctx.channel().isOpen() && !ctx.isRemoved()) {
                    onSilent.run();
                    ctx.channel().close();
                  }
                },
                timeoutNanos,
                TimeUnit.NANOSECONDS);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    if (timer != null) {
      timer.cancel(false);
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ctx.pipeline().remove(this);
    ctx.fireChannelRead(msg);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (timer != null) {
      timer.cancel(false);
    }
    ctx.fireChannelInactive();
  }
}
