package io.phase.p2p.yamux;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

/**
 * Data held for a stream that does not read must not pin the (larger) buffers it arrived in:
 * otherwise a peer sending mid-sized frames packed in big messages makes an unread stream hold
 * several times its receive window.
 */
class YamuxRetentionTest {

  private static EmbeddedChannel clientWithIdleStreams() {
    return new EmbeddedChannel(
        new YamuxSession(
            true,
            YamuxConfig.DEFAULT,
            new ChannelInitializer<Channel>() {
              @Override
              protected void initChannel(Channel ch) {
                ch.config().setAutoRead(false);
              }
            }));
  }

  private static ByteBuf message(int capacity, int dataLength) {
    ByteBuf b = Unpooled.buffer(capacity, capacity);
    b.writeByte(0)
        .writeByte(YamuxFrames.TYPE_DATA)
        .writeShort(YamuxFrames.FLAG_SYN)
        .writeInt(2)
        .writeInt(dataLength);
    b.writeZero(dataLength);
    return b;
  }

  @Test
  void midSizedDataInABigBufferIsCopiedNotSliced() {
    EmbeddedChannel ch = clientWithIdleStreams();
    ByteBuf big = message(64 * 1024, 10 * 1024);
    big.retain();
    ch.writeInbound(big);
    assertEquals(1, big.refCnt(), "the 64 KiB buffer must not stay referenced by a 10 KiB piece");
    big.release();
    ch.finishAndReleaseAll();
  }

  @Test
  void dataFillingMostOfItsBufferIsSlicedWithoutCopy() {
    EmbeddedChannel ch = clientWithIdleStreams();
    ByteBuf full = message(12 + 40 * 1024, 40 * 1024);
    full.retain();
    ch.writeInbound(full);
    assertEquals(2, full.refCnt(), "a piece that is most of its buffer is kept as a slice");
    full.release();
    ch.finishAndReleaseAll();
  }
}
