package io.phase.p2p.ping;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.concurrent.ScheduledFuture;
import io.phase.p2p.host.Stream;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends {@code count} pings one after another on a stream, each 32 fresh random bytes, checks each
 * echo and records its round-trip time; then closes the stream. Each ping must be answered within
 * the timeout; any failure resets the stream.
 */
final class PingInitiator extends ChannelInboundHandlerAdapter {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final int count;
  private final Duration timeout;
  private final CompletableFuture<List<Duration>> result = new CompletableFuture<>();
  private final List<Duration> rtts = new ArrayList<>();
  private final byte[] sent = new byte[Ping.PAYLOAD_BYTES];
  private final byte[] echo = new byte[Ping.PAYLOAD_BYTES];
  private int echoed;
  private long sentAt;
  private ScheduledFuture<?> timer;

  PingInitiator(int count, Duration timeout) {
    this.count = count;
    this.timeout = timeout;
  }

  CompletableFuture<List<Duration>> result() {
    return result;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    sendPing(ctx);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    cancelTimer();
  }

  private void sendPing(ChannelHandlerContext ctx) {
    RANDOM.nextBytes(sent);
    echoed = 0;
    cancelTimer();
    timer =
        ctx.executor()
            .schedule(
                () ->
                    fail(
                        ctx,
                        new TimeoutException("no ping echo within " + timeout.toMillis() + " ms")),
                timeout.toNanos(),
                TimeUnit.NANOSECONDS);
    sentAt = System.nanoTime();
    ctx.writeAndFlush(ctx.alloc().buffer(Ping.PAYLOAD_BYTES).writeBytes(sent));
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf in = (ByteBuf) msg;
    try {
      if (result.isDone()) {
        return;
      }
      if (echoed + in.readableBytes() > Ping.PAYLOAD_BYTES) {
        fail(ctx, new IOException("ping peer sent more bytes than were pinged"));
        return;
      }
      int n = in.readableBytes();
      in.readBytes(echo, echoed, n);
      echoed += n;
    } finally {
      in.release();
    }
    if (echoed < Ping.PAYLOAD_BYTES) {
      return;
    }
    Duration rtt = Duration.ofNanos(System.nanoTime() - sentAt);
    if (!Arrays.equals(sent, echo)) {
      fail(
          ctx,
          new IOException(
              "ping echo differs: sent "
                  + ByteBufUtil.hexDump(sent)
                  + ", got "
                  + ByteBufUtil.hexDump(echo)));
      return;
    }
    rtts.add(rtt);
    if (rtts.size() < count) {
      sendPing(ctx);
      return;
    }
    cancelTimer();
    result.complete(List.copyOf(rtts));
    ctx.close();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof ChannelInputShutdownEvent) {
      fail(ctx, new IOException("ping peer closed the stream after " + rtts.size() + " pings"));
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    fail(ctx, new IOException("ping stream closed after " + rtts.size() + " pings"));
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    fail(ctx, new IOException("ping stream failed: " + cause, cause));
  }

  private void fail(ChannelHandlerContext ctx, Exception cause) {
    if (result.isDone()) {
      return;
    }
    cancelTimer();
    result.completeExceptionally(cause);
    Stream.of(ctx.channel()).reset();
  }

  private void cancelTimer() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }
}
