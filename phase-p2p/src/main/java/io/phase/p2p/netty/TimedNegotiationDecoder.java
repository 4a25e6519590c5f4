package io.phase.p2p.netty;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A decoder for a connection-opening exchange (multistream-select, a Noise handshake) that must end
 * within a deadline: it starts once the channel is active (or at once if it already is), arms the
 * deadline on the channel's event loop, and asks for the first read when auto-read is off.
 * Subclasses write their opening messages in {@link #start}, answer the deadline in {@link
 * #timedOut} and call {@link #cancelTimeout} when the exchange ends either way.
 */
public abstract class TimedNegotiationDecoder extends ByteToMessageDecoder {
  private final Duration timeout;
  private ScheduledFuture<?> timeoutTask;
  private boolean started;

  protected TimedNegotiationDecoder(Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive");
    }
    this.timeout = timeout;
  }

  /** The deadline of the whole exchange, from when it starts. */
  protected final Duration timeout() {
    return timeout;
  }

  /** Writes the opening messages; runs once, on the event loop. */
  protected abstract void start(ChannelHandlerContext ctx);

  /** The exchange did not end within {@link #timeout()}; runs on the event loop. */
  protected abstract void timedOut(ChannelHandlerContext ctx);

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
    if (ctx.channel().isActive()) {
      begin(ctx);
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    begin(ctx);
    super.channelActive(ctx);
  }

  private void begin(ChannelHandlerContext ctx) {
    if (started) {
      return;
    }
    started = true;
    timeoutTask =
        ctx.executor().schedule(() -> timedOut(ctx), timeout.toNanos(), TimeUnit.NANOSECONDS);
    start(ctx);
    if (!ctx.channel().config().isAutoRead()) {
      ctx.read();
    }
  }

  /** Disarms the deadline; idempotent. */
  protected final void cancelTimeout() {
    if (timeoutTask != null) {
      timeoutTask.cancel(false);
      timeoutTask = null;
    }
  }

  @Override
  protected void handlerRemoved0(ChannelHandlerContext ctx) throws Exception {
    cancelTimeout();
  }
}
