package io.phase.p2p.kad;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import java.util.List;

/**
 * Splits a stream into unsigned-varint length-prefixed frames and emits each body as a {@code
 * byte[]}. A length over {@code maxFrameBytes} (checked as soon as the prefix is read, before
 * buffering the body), a non-minimal or over-long prefix raises {@link TooLongFrameException} or
 * {@link CorruptedFrameException}; the stream handler then resets the stream.
 */
public final class KadFrameDecoder extends ByteToMessageDecoder {

  private static final int MAX_PREFIX_BYTES = 5;

  private final int maxFrameBytes;

  /** Creates a decoder refusing frames longer than {@code maxFrameBytes}. */
  public KadFrameDecoder(int maxFrameBytes) {
    if (maxFrameBytes <= 0) {
      throw new IllegalArgumentException("maxFrameBytes must be positive");
    }
    this.maxFrameBytes = maxFrameBytes;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    int start = in.readerIndex();
    long length = 0;
    int prefix = 0;
    while (true) {
      if (prefix == in.readableBytes()) {
        return; // need more bytes for the prefix
      }
      if (prefix == MAX_PREFIX_BYTES) {
        throw new CorruptedFrameException("kad frame length prefix longer than 5 bytes");
      }
      int b = in.getUnsignedByte(start + prefix);
      length |= (long) (b & 0x7f) << (7 * prefix);
      prefix++;
      if ((b & 0x80) == 0) {
        if (b == 0 && prefix > 1) {
          throw new CorruptedFrameException("non-minimal kad frame length prefix");
        }
        break;
      }
    }
    if (length > maxFrameBytes) {
      throw new TooLongFrameException("kad frame of " + length + " bytes exceeds " + maxFrameBytes);
    }
    if (in.readableBytes() < prefix + length) {
      return;
    }
    in.skipBytes(prefix);
    byte[] body = new byte[(int) length];
    in.readBytes(body);
    out.add(body);
  }
}
