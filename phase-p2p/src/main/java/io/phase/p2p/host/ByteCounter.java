package io.phase.p2p.host;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/** Counts the raw bytes a TCP connection reads and writes into {@link HostStats}. */
@Sharable
final class ByteCounter extends ChannelDuplexHandler {
  private final HostStats stats;

  ByteCounter(HostStats stats) {
    this.stats = stats;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof ByteBuf buf) {
      stats.bytesIn.add(buf.readableBytes());
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof ByteBuf buf) {
      stats.bytesOut.add(buf.readableBytes());
    }
    ctx.write(msg, promise);
  }
}
