package io.phase.p2p.yamux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hostile and malformed frames fed straight into a session. */
class YamuxDecoderTest {
  record Frame(int version, int type, int flags, long streamId, long length) {}

  private static EmbeddedChannel client() {
    EmbeddedChannel ch =
        new EmbeddedChannel(
            new YamuxSession(true, YamuxConfig.DEFAULT, new ChannelInboundHandlerAdapter()));
    // The session measures the round-trip time for window auto-tuning as it starts.
    assertEquals(
        List.of(new Frame(0, YamuxFrames.TYPE_PING, YamuxFrames.FLAG_SYN, 0, 0)), written(ch));
    return ch;
  }

  private static ByteBuf frame(int version, int type, int flags, long id, long length) {
    ByteBuf b = Unpooled.buffer(12);
    b.writeByte(version)
        .writeByte(type)
        .writeShort(flags)
        .writeInt((int) id)
        .writeInt((int) length);
    return b;
  }

  private static List<Frame> written(EmbeddedChannel ch) {
    ByteBuf all = Unpooled.buffer();
    for (ByteBuf b; (b = ch.readOutbound()) != null; ) {
      all.writeBytes(b);
      b.release();
    }
    List<Frame> frames = new ArrayList<>();
    while (all.readableBytes() >= 12) {
      Frame f =
          new Frame(
              all.readUnsignedByte(),
              all.readUnsignedByte(),
              all.readUnsignedShort(),
              all.readUnsignedInt(),
              all.readUnsignedInt());
      frames.add(f);
      if (f.type() == YamuxFrames.TYPE_DATA) {
        all.skipBytes((int) f.length());
      }
    }
    return frames;
  }

  private static void assertProtocolError(EmbeddedChannel ch) {
    assertFalse(ch.isOpen());
    List<Frame> out = written(ch);
    assertTrue(
        out.contains(new Frame(0, YamuxFrames.TYPE_GO_AWAY, 0, 0, 1)), "GoAway(1) in " + out);
  }

  @Test
  void badVersionIsAProtocolError() {
    EmbeddedChannel ch = client();
    ch.writeInbound(frame(1, YamuxFrames.TYPE_PING, YamuxFrames.FLAG_SYN, 0, 7));
    assertProtocolError(ch);
  }

  @Test
  void unknownTypeIsAProtocolError() {
    EmbeddedChannel ch = client();
    ch.writeInbound(frame(0, 9, 0, 0, 0));
    assertProtocolError(ch);
  }

  @Test
  void dataOnStreamZeroIsAProtocolError() {
    EmbeddedChannel ch = client();
    ch.writeInbound(frame(0, YamuxFrames.TYPE_DATA, 0, 0, 4));
    assertProtocolError(ch);
  }

  @Test
  void oversizedDataFrameIsAProtocolError() {
    EmbeddedChannel ch = client();
    ch.writeInbound(frame(0, YamuxFrames.TYPE_DATA, YamuxFrames.FLAG_SYN, 2, 0xFFFF_FFF0L));
    assertProtocolError(ch);
  }

  @Test
  void windowOverrunIsAProtocolError() {
    EmbeddedChannel ch = client();
    ch.writeInbound(frame(0, YamuxFrames.TYPE_WINDOW_UPDATE, YamuxFrames.FLAG_SYN, 2, 0));
    assertTrue(ch.isOpen());
    ch.writeInbound(frame(0, YamuxFrames.TYPE_DATA, 0, 2, YamuxFrames.INITIAL_WINDOW + 1));
    assertProtocolError(ch);
  }

  @Test
  void synWithOurParityOrReusedIdIsAProtocolError() {
    EmbeddedChannel ch = client();
    ch.writeInbound(frame(0, YamuxFrames.TYPE_WINDOW_UPDATE, YamuxFrames.FLAG_SYN, 3, 0));
    assertProtocolError(ch);

    EmbeddedChannel ch2 = client();
    ch2.writeInbound(frame(0, YamuxFrames.TYPE_WINDOW_UPDATE, YamuxFrames.FLAG_SYN, 4, 0));
    ch2.writeInbound(frame(0, YamuxFrames.TYPE_WINDOW_UPDATE, YamuxFrames.FLAG_SYN, 2, 0));
    assertProtocolError(ch2);
  }

  @Test
  void frameForUnopenedStreamIsAProtocolError() {
    EmbeddedChannel ch = client();
    ch.writeInbound(frame(0, YamuxFrames.TYPE_DATA, 0, 8, 1));
    assertProtocolError(ch);
  }

  @Test
  void truncatedHeaderWaitsAndSplitHeaderIsReassembled() {
    EmbeddedChannel ch = client();
    ByteBuf syn = frame(0, YamuxFrames.TYPE_WINDOW_UPDATE, YamuxFrames.FLAG_SYN, 2, 0);
    ch.writeInbound(syn.retainedSlice(0, 5));
    assertTrue(ch.isOpen());
    assertNull(ch.readOutbound());
    ch.writeInbound(syn.retainedSlice(5, 4));
    ch.writeInbound(syn.slice(9, 3));
    List<Frame> out = written(ch);
    assertEquals(
        List.of(new Frame(0, YamuxFrames.TYPE_WINDOW_UPDATE, YamuxFrames.FLAG_ACK, 2, 0)), out);
    assertTrue(ch.isOpen());
  }

  @Test
  void streamsOverTheLimitAreRefusedAndAPeerNotReadingTheRefusalsIsDropped() {
    YamuxConfig oneStream = YamuxConfig.DEFAULT.withMaxStreams(1);
    EmbeddedChannel ch =
        new EmbeddedChannel(new YamuxSession(true, oneStream, new ChannelInboundHandlerAdapter()));
    written(ch); // the start-up ping
    ch.writeInbound(frame(0, YamuxFrames.TYPE_WINDOW_UPDATE, YamuxFrames.FLAG_SYN, 2, 0));
    ch.writeInbound(frame(0, YamuxFrames.TYPE_WINDOW_UPDATE, YamuxFrames.FLAG_SYN, 4, 0));
    List<Frame> out = written(ch);
    assertTrue(
        out.contains(new Frame(0, YamuxFrames.TYPE_WINDOW_UPDATE, YamuxFrames.FLAG_RST, 4, 0)),
        "RST for the stream over the limit in " + out);
    assertTrue(ch.isOpen());

    // Our outbound buffer is backed up (the peer reads nothing): the next refusal ends it.
    ch.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
    ch.writeInbound(frame(0, YamuxFrames.TYPE_WINDOW_UPDATE, YamuxFrames.FLAG_SYN, 6, 0));
    assertProtocolError(ch);
  }

  @Test
  void pingIsAnswered() {
    EmbeddedChannel ch = client();
    ch.writeInbound(frame(0, YamuxFrames.TYPE_PING, YamuxFrames.FLAG_SYN, 0, 0xCAFEL));
    assertEquals(
        List.of(new Frame(0, YamuxFrames.TYPE_PING, YamuxFrames.FLAG_ACK, 0, 0xCAFEL)),
        written(ch));
  }

  @Test
  void pingOnAStreamIsAProtocolError() {
    EmbeddedChannel ch = client();
    ch.writeInbound(frame(0, YamuxFrames.TYPE_PING, YamuxFrames.FLAG_SYN, 5, 1));
    assertProtocolError(ch);
  }

  @Test
  void closeSendsGoAwayNormal() {
    EmbeddedChannel ch = client();
    ch.close();
    assertEquals(List.of(new Frame(0, YamuxFrames.TYPE_GO_AWAY, 0, 0, 0)), written(ch));
  }

  @Test
  void dataForAResetStreamIsDiscarded() {
    EmbeddedChannel ch = client();
    ch.writeInbound(frame(0, YamuxFrames.TYPE_WINDOW_UPDATE, YamuxFrames.FLAG_SYN, 2, 0));
    ch.writeInbound(frame(0, YamuxFrames.TYPE_WINDOW_UPDATE, YamuxFrames.FLAG_RST, 2, 0));
    ByteBuf data = frame(0, YamuxFrames.TYPE_DATA, 0, 2, 3);
    data.writeBytes(new byte[] {1, 2, 3});
    ch.writeInbound(data);
    assertTrue(ch.isOpen());
  }

  @Test
  void finIsSentAsItsOwnEmptyFrame() throws Exception {
    EmbeddedChannel ch = client();
    YamuxSession session = ch.pipeline().get(YamuxSession.class);
    YamuxStreamChannel s = session.openStream(new ChannelInboundHandlerAdapter()).get();
    s.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {1, 2, 3}));
    s.shutdownOutput();
    ch.runPendingTasks();
    List<Frame> out = written(ch);
    assertEquals(
        List.of(
            new Frame(0, YamuxFrames.TYPE_WINDOW_UPDATE, YamuxFrames.FLAG_SYN, 1, 0),
            new Frame(0, YamuxFrames.TYPE_DATA, 0, 1, 3),
            new Frame(0, YamuxFrames.TYPE_WINDOW_UPDATE, YamuxFrames.FLAG_FIN, 1, 0)),
        out);
  }
}
