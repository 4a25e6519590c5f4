package io.phase.p2p.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.util.ReferenceCountUtil;
import io.phase.p2p.host.Stream;

/** Server side of /phase/source/1.0.0: reads the 8-byte count, then sends that many bytes. */
final class SourceServerHandler extends ChannelInboundHandlerAdapter {
  private final byte[] header = new byte[8];
  private int headerFilled;
  private BulkSender sender;

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf buf = (ByteBuf) msg;
    try {
      if (sender != null) {
        return; // bytes after the count are discarded
      }
      int n = Math.min(8 - headerFilled, buf.readableBytes());
      buf.readBytes(header, headerFilled, n);
      headerFilled += n;
      if (headerFilled == 8) {
        long count = java.nio.ByteBuffer.wrap(header).getLong();
        if (count < 0 || count > BenchProtocols.MAX_SOURCE_BYTES) {
          throw new IllegalArgumentException("source request of " + count + " bytes");
        }
        sender = new BulkSender(count, Stream.of(ctx.channel())::closeWrite);
        sender.pump(ctx);
      }
    } finally {
      ReferenceCountUtil.release(buf);
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (sender != null) {
      sender.pump(ctx);
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof ChannelInputShutdownReadComplete && sender == null) {
      exceptionCaught(ctx, new IllegalStateException("stream ended before the 8-byte count"));
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    System.err.println("event=source_stream_failed error=" + cause);
    Stream.of(ctx.channel()).reset();
  }
}
