package io.phase.p2p.noise;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads 2-byte big-endian length-prefixed Noise transport messages and emits their decrypted
 * plaintext. Each message is copied once, straight from the socket's buffers into a heap buffer of
 * its own, and decrypted there in place; that buffer is what the next handler receives. At most one
 * partial message (≤ 65535 bytes) is held. Any authentication failure closes the connection.
 */
final class NoiseFrameDecoder extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(NoiseFrameDecoder.class);

  private final CipherState cipher;

  /** First byte of a length prefix split across reads, or -1. */
  private int lengthHigh = -1;

  /** The message being received (ciphertext ‖ tag), or null between messages. */
  private ByteBuf message;

  private int messageLength;
  private boolean failed;
  private boolean emitted;

  NoiseFrameDecoder(CipherState cipher) {
    this.cipher = cipher;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf in)) {
      ctx.fireChannelRead(msg);
      return;
    }
    try {
      decode(ctx, in);
    } catch (NoiseException e) {
      fail(ctx, e);
    } finally {
      in.release();
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (!emitted && !failed && !ctx.channel().config().isAutoRead()) {
      // Nothing reached the next handler, so it cannot ask for more: read on its behalf.
      ctx.read();
    }
    emitted = false;
    ctx.fireChannelReadComplete();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    releaseMessage();
  }

  private void decode(ChannelHandlerContext ctx, ByteBuf in) throws NoiseException {
    while (!failed && in.isReadable()) {
      if (message == null) {
        int length;
        if (lengthHigh >= 0) {
          length = (lengthHigh << 8) | in.readUnsignedByte();
          lengthHigh = -1;
        } else if (in.readableBytes() >= 2) {
          length = in.readUnsignedShort();
        } else {
          lengthHigh = in.readUnsignedByte();
          return;
        }
        if (length < CipherState.TAG_LENGTH) {
          throw new NoiseException(
              "transport message of " + length + " bytes has no room for a tag");
        }
        message = allocate(ctx, length);
        messageLength = length;
      }
      int n = Math.min(messageLength - message.writerIndex(), in.readableBytes());
      message.writeBytes(in, n);
      if (message.writerIndex() == messageLength) {
        ByteBuf complete = message;
        message = null;
        emit(ctx, complete);
      }
    }
  }

  private void emit(ChannelHandlerContext ctx, ByteBuf buf) throws NoiseException {
    int n;
    try {
      n = cipher.decryptInPlace(buf.array(), buf.arrayOffset(), messageLength);
    } catch (NoiseException | RuntimeException e) {
      buf.release();
      throw e;
    }
    if (n == 0) {
      buf.release();
      return;
    }
    buf.writerIndex(n);
    emitted = true;
    ctx.fireChannelRead(buf);
  }

  private static ByteBuf allocate(ChannelHandlerContext ctx, int length) {
    ByteBuf buf = ctx.alloc().heapBuffer(length, length);
    if (buf.hasArray()) {
      return buf;
    }
    buf.release();
    return Unpooled.buffer(length, length);
  }

  private void fail(ChannelHandlerContext ctx, NoiseException e) {
    failed = true;
    releaseMessage();
    LOG.warn(
        "noise_transport_error conn={} remote={} reason={}",
        ctx.channel().id(),
        ctx.channel().remoteAddress(),
        e.getMessage());
    ctx.close();
  }

  private void releaseMessage() {
    if (message != null) {
      message.release();
      message = null;
    }
  }
}
