package io.phase.p2p.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.util.ReferenceCountUtil;
import io.phase.p2p.host.Stream;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * Client side of /phase/sink/1.0.0: sends {@code bytes}, half-closes, and completes {@link #done}
 * when the server's 8-byte count arrives and equals what was sent (fails otherwise).
 */
final class UploadHandler extends ChannelInboundHandlerAdapter {
  final CompletableFuture<Void> done = new CompletableFuture<>();
  private final long bytes;
  private final byte[] reply = new byte[8];
  private int replyFilled;
  private BulkSender sender;

  UploadHandler(long bytes) {
    this.bytes = bytes;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    sender = new BulkSender(bytes, Stream.of(ctx.channel())::closeWrite);
    ctx.executor().execute(() -> sender.pump(ctx));
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    sender.pump(ctx);
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf buf = (ByteBuf) msg;
    try {
      int n = buf.readableBytes();
      if (replyFilled + n > 8) {
        fail(ctx, new IOException("sink sent more than its 8-byte count"));
        return;
      }
      buf.readBytes(reply, replyFilled, n);
      replyFilled += n;
    } finally {
      ReferenceCountUtil.release(buf);
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof ChannelInputShutdownReadComplete) {
      if (replyFilled != 8) {
        fail(ctx, new IOException("sink closed after " + replyFilled + " of 8 count bytes"));
        return;
      }
      long count = java.nio.ByteBuffer.wrap(reply).getLong();
      if (count != bytes) {
        fail(ctx, new IOException("sink counted " + count + " of " + bytes + " bytes"));
        return;
      }
      done.complete(null);
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    done.completeExceptionally(new IOException("upload stream closed before the count arrived"));
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
