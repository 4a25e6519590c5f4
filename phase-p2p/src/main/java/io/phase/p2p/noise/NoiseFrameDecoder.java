package io.phase.p2p.noise;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads 2-byte big-endian length-prefixed Noise transport messages and emits their decrypted
 * plaintext. Any authentication failure closes the connection.
 */
final class NoiseFrameDecoder extends ByteToMessageDecoder {
  private static final Logger LOG = LoggerFactory.getLogger(NoiseFrameDecoder.class);

  private final CipherState cipher;
  private boolean failed;

  NoiseFrameDecoder(CipherState cipher) {
    this.cipher = cipher;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (failed) {
      in.skipBytes(in.readableBytes());
      return;
    }
    while (in.readableBytes() >= 2) {
      int start = in.readerIndex();
      int length = in.getUnsignedShort(start);
      try {
        if (length < CipherState.TAG_LENGTH) {
          throw new NoiseException(
              "transport message of " + length + " bytes has no room for a tag");
        }
        if (in.readableBytes() < 2 + length) {
          return;
        }
        int plainLength = length - CipherState.TAG_LENGTH;
        ByteBuf plain = ctx.alloc().heapBuffer(plainLength, plainLength);
        try {
          int n = cipher.decrypt(in.nioBuffer(start + 2, length), plain.nioBuffer(0, plainLength));
          plain.writerIndex(n);
        } catch (NoiseException | RuntimeException e) {
          plain.release();
          throw e;
        }
        in.readerIndex(start + 2 + length);
        if (plain.isReadable()) {
          out.add(plain);
        } else {
          plain.release();
        }
      } catch (NoiseException e) {
        failed = true;
        in.skipBytes(in.readableBytes());
        LOG.warn(
            "noise_transport_error conn={} remote={} reason={}",
            ctx.channel().id(),
            ctx.channel().remoteAddress(),
            e.getMessage());
        ctx.close();
        return;
      }
    }
  }
}
