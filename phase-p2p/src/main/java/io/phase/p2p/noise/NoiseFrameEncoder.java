package io.phase.p2p.noise;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.CoalescingBufferQueue;
import io.netty.util.ReferenceCountUtil;
import java.nio.channels.ClosedChannelException;

/**
 * Encrypts outbound bytes into Noise transport messages. Writes are coalesced until a flush (or a
 * full message's worth, {@value #MAX_PLAINTEXT} bytes) and encrypted straight from the queued
 * buffers, so small writes share one message.
 */
final class NoiseFrameEncoder extends ChannelOutboundHandlerAdapter {
  /** Largest plaintext per message: 65535 minus the tag. */
  static final int MAX_PLAINTEXT = 65535 - CipherState.TAG_LENGTH;

  private final CipherState cipher;
  private CoalescingBufferQueue queue;

  NoiseFrameEncoder(CipherState cipher) {
    this.cipher = cipher;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    queue = new CoalescingBufferQueue(ctx.channel(), 16, true);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    queue.releaseAndFailAll(ctx, new ClosedChannelException());
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (!(msg instanceof ByteBuf buf)) {
      ReferenceCountUtil.release(msg);
      promise.setFailure(new UnsupportedOperationException("noise transport writes ByteBuf only"));
      return;
    }
    queue.add(buf, promise);
    while (queue.readableBytes() >= MAX_PLAINTEXT) {
      encryptOne(ctx);
    }
  }

  @Override
  public void flush(ChannelHandlerContext ctx) {
    while (!queue.isEmpty()) {
      encryptOne(ctx);
    }
    ctx.flush();
  }

  @Override
  public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
    queue.releaseAndFailAll(ctx, new ClosedChannelException());
    ctx.close(promise);
  }

  private void encryptOne(ChannelHandlerContext ctx) {
    ChannelPromise promise = ctx.newPromise();
    ByteBuf plain = queue.remove(ctx.alloc(), MAX_PLAINTEXT, promise);
    try {
      int n = plain.readableBytes();
      if (n == 0) {
        ctx.write(Unpooled.EMPTY_BUFFER, promise);
        return;
      }
      int length = n + CipherState.TAG_LENGTH;
      ByteBuf out = ctx.alloc().heapBuffer(2 + length, 2 + length);
      try {
        out.writeShort(length);
        int written = cipher.encrypt(plain.nioBuffers(), out.nioBuffer(2, length));
        out.writerIndex(2 + written);
      } catch (RuntimeException e) {
        out.release();
        promise.tryFailure(e);
        throw e;
      }
      ctx.write(out, promise);
    } finally {
      plain.release();
    }
  }
}
