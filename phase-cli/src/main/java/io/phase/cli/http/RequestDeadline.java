package io.phase.cli.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection that does not deliver a whole request within {@code millis} of opening, or of
 * the previous response: a slow sender (or an idle keep-alive connection) cannot hold a slot.
 */
final class RequestDeadline extends ChannelDuplexHandler {
  private final long millis;
  private ScheduledFuture<?> timer;

  RequestDeadline(long millis) {
    this.millis = millis;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    arm(ctx);
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof LastHttpContent) {
      cancel();
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof LastHttpContent) {
      promise = promise.unvoid();
      promise.addListener(f -> arm(ctx));
    }
    ctx.write(msg, promise);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    cancel();
    ctx.fireChannelInactive();
  }

  private void arm(ChannelHandlerContext ctx) {
    cancel();
    if (ctx.channel().isActive()) {
      timer = ctx.executor().schedule(() -> ctx.close(), millis, TimeUnit.MILLISECONDS);
    }
  }

  private void cancel() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }
}
