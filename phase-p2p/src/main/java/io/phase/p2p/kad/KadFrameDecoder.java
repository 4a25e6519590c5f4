package io.phase.p2p.kad;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import io.phase.p2p.netty.VarintFrames;
import java.util.List;

/**
 * Splits a stream into unsigned-varint length-prefixed frames and emits each body as a {@code
 * byte[]} ({@link VarintFrames}). A length over {@code maxFrameBytes} (checked as soon as the
 * prefix is read, before buffering the body) raises a {@link TooLongFrameException}, a non-minimal
 * prefix a {@link CorruptedFrameException}; the stream handler then resets the stream.
 */
public final class KadFrameDecoder extends ByteToMessageDecoder {

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
    byte[] body;
    try {
      body = VarintFrames.read(in, maxFrameBytes);
    } catch (VarintFrames.FrameTooLongException e) {
      throw new TooLongFrameException("kad " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new CorruptedFrameException("kad " + e.getMessage());
    }
    if (body != null) {
      out.add(body);
    }
  }
}
