package io.phase.p2p.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.util.ReferenceCountUtil;
import io.phase.p2p.host.Stream;

/** Server side of /phase/sink/1.0.0: counts and discards, then answers with the count. */
final class SinkServerHandler extends ChannelInboundHandlerAdapter {
  private long count;

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      count += ((ByteBuf) msg).readableBytes();
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof ChannelInputShutdownReadComplete) {
      Stream stream = Stream.of(ctx.channel());
      ctx.writeAndFlush(ctx.alloc().buffer(8).writeLong(count))
          .addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
      stream.closeWrite();
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    System.err.println("event=sink_stream_failed error=" + cause);
    Stream.of(ctx.channel()).reset();
  }
}
