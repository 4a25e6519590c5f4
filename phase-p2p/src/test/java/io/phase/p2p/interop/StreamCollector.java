package io.phase.p2p.interop;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/** Collects a stream's bytes (at most a bound) until the peer half-closes. */
final class StreamCollector extends ChannelInboundHandlerAdapter {
  private final int maxBytes;
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  final CompletableFuture<byte[]> done = new CompletableFuture<>();

  StreamCollector(int maxBytes) {
    this.maxBytes = maxBytes;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf b = (ByteBuf) msg;
    try {
      if (bytes.size() + b.readableBytes() > maxBytes) {
        done.completeExceptionally(new IOException("more than " + maxBytes + " bytes"));
        ctx.close();
        return;
      }
      byte[] chunk = new byte[b.readableBytes()];
      b.readBytes(chunk);
      bytes.writeBytes(chunk);
    } finally {
      b.release();
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof ChannelInputShutdownEvent) {
      done.complete(bytes.toByteArray());
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    done.completeExceptionally(
        new IOException("stream closed before the peer's FIN after " + bytes.size() + " bytes"));
    ctx.fireChannelInactive();
  }
}
