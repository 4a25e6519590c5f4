package io.phase.p2p.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.util.ReferenceCountUtil;
import io.phase.p2p.host.Stream;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * Client side of /phase/source/1.0.0: asks for {@code bytes}, half-closes, counts what arrives, and
 * completes {@link #done} at the server's half-close if exactly {@code bytes} arrived.
 */
final class DownloadHandler extends ChannelInboundHandlerAdapter {
  final CompletableFuture<Void> done = new CompletableFuture<>();
  private final long bytes;
  private long received;

  DownloadHandler(long bytes) {
    this.bytes = bytes;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    Stream stream = Stream.of(ctx.channel());
    ctx.executor()
        .execute(
            () -> {
              ctx.writeAndFlush(ctx.alloc().buffer(8).writeLong(bytes))
                  .addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
              stream.closeWrite();
            });
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      received += ((ByteBuf) msg).readableBytes();
    } finally {
      ReferenceCountUtil.release(msg);
    }
    if (received > bytes) {
      fail(ctx, new IOException("source sent more than the " + bytes + " bytes requested"));
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof ChannelInputShutdownReadComplete) {
      if (received != bytes) {
        fail(ctx, new IOException("source sent " + received + " of " + bytes + " bytes"));
        return;
      }
      done.complete(null);
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    done.completeExceptionally(
        new IOException("download stream closed after " + received + " of " + bytes + " bytes"));
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    fail(ctx, cause);
  }

  private void fail(ChannelHandlerContext ctx, Throwable cause) {
    done.completeExceptionally(cause);
    Stream.of(ctx.channel()).reset();
  }
}
