package io.phase.p2p.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.util.ReferenceCountUtil;
import io.phase.p2p.yamux.YamuxConfig;
import io.phase.p2p.yamux.YamuxSession;
import io.phase.p2p.yamux.YamuxStreamChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A yamux session on an embedded channel fed an arbitrary byte stream, with streams that echo,
 * swallow or never read. Checked: no exception escapes; never more open streams than configured; no
 * stream receives more than its window plus the credit the session granted, nor sends more than the
 * window plus the credit the peer granted; a closed session always sent GoAway(protocol error), and
 * an input with an unmistakable violation always closes it; everything is released at close.
 */
@ExtendWith(QuietLogs.class)
class YamuxFuzzTest {

  @FuzzTest(maxDuration = "30s")
  void session(FuzzedDataProvider data) {
    boolean client = data.consumeBoolean();
    int maxStreams = data.consumeInt(1, 4);
    int opens = data.consumeInt(0, 2);
    int chunk = data.consumeInt(1, 4096);
    byte[] input = data.consumeRemainingAsBytes();

    YamuxConfig config = YamuxConfig.DEFAULT.withMaxStreams(maxStreams);
    Probe probe = new Probe();
    YamuxSession session = new YamuxSession(client, config, probe.initializer());
    FuzzChannel ch = new FuzzChannel(session);
    for (int i = 0; i < opens; i++) {
      session.openStream(probe.initializer());
      ch.channel().runPendingTasks();
    }
    for (int offset = 0; offset < input.length && ch.isOpen(); offset += chunk) {
      ch.feed(input, offset, Math.min(chunk, input.length - offset));
      assertTrue(session.streamCount() <= maxStreams, "more open streams than configured");
      assertTrue(probe.maxOpen <= maxStreams, "more streams registered than configured");
    }

    List<YamuxWire.Frame> sent = YamuxWire.frames(ch.outbound());
    List<YamuxWire.Frame> received = YamuxWire.frames(input);
    checkSentFrames(sent);
    checkWindows(probe, sent, received);
    boolean goAwayError =
        sent.stream().anyMatch(f -> f.type() == YamuxWire.GO_AWAY && f.length() == 1);
    assertEquals(!ch.isOpen(), goAwayError, "closed without GoAway(1), or GoAway(1) and open");
    if (hasDefiniteViolation(received, config, ch)) {
      assertFalse(ch.isOpen(), "protocol violation did not close the session");
    }

    ch.closeAndCheckLeaks();
    for (YamuxStreamChannel stream : probe.streams) {
      assertFalse(stream.isOpen(), "stream " + stream.streamId() + " outlived its session");
    }
  }

  private static void checkSentFrames(List<YamuxWire.Frame> sent) {
    for (YamuxWire.Frame f : sent) {
      assertEquals(0, f.version());
      assertTrue(f.type() <= YamuxWire.GO_AWAY, "sent unknown frame type " + f.type());
      if (f.type() == YamuxWire.DATA) {
        assertTrue(f.length() <= 64 * 1024, "sent a data frame larger than 64 KiB");
      }
    }
  }

  private static void checkWindows(
      Probe probe, List<YamuxWire.Frame> sent, List<YamuxWire.Frame> received) {
    Map<Long, Long> granted = sumLengths(received, YamuxWire.WINDOW_UPDATE);
    Map<Long, Long> credit = sumLengths(sent, YamuxWire.WINDOW_UPDATE);
    Map<Long, Long> sentData = sumLengths(sent, YamuxWire.DATA);
    sentData.forEach(
        (id, bytes) ->
            assertTrue(
                bytes <= YamuxWire.INITIAL_WINDOW + granted.getOrDefault(id, 0L),
                "stream " + id + " sent " + bytes + " bytes beyond the peer's window"));
    probe.delivered.forEach(
        (id, bytes) ->
            assertTrue(
                bytes <= YamuxWire.INITIAL_WINDOW + credit.getOrDefault((long) id, 0L),
                "stream " + id + " accepted " + bytes + " bytes beyond its window"));
  }

  private static Map<Long, Long> sumLengths(List<YamuxWire.Frame> frames, int type) {
    Map<Long, Long> sums = new HashMap<>();
    for (YamuxWire.Frame f : frames) {
      if (f.type() == type && f.version() == 0) {
        sums.merge(
            f.streamId(), type == YamuxWire.DATA ? f.payloadLength() : f.length(), Long::sum);
      }
    }
    return sums;
  }

  /** Whether the input holds a header any yamux peer must reject outright. */
  private static boolean hasDefiniteViolation(
      List<YamuxWire.Frame> received, YamuxConfig config, FuzzChannel ch) {
    for (YamuxWire.Frame f : received) {
      boolean streamFrame = f.type() == YamuxWire.DATA || f.type() == YamuxWire.WINDOW_UPDATE;
      if (f.version() != 0
          || f.type() > YamuxWire.GO_AWAY
          || (streamFrame && f.streamId() == 0)
          || (!streamFrame && f.streamId() != 0)
          || (f.type() == YamuxWire.DATA
              && f.length() > Math.max(config.maxFrameLength(), config.maxReceiveWindow()))) {
        return true;
      }
    }
    return false;
  }

  /** Stream behaviour chosen by stream id (so the fuzzer picks it) and what each stream saw. */
  private static final class Probe {
    final List<YamuxStreamChannel> streams = new ArrayList<>();
    final Map<Integer, Long> delivered = new HashMap<>();
    int open;
    int maxOpen;

    ChannelInitializer<Channel> initializer() {
      return new ChannelInitializer<>() {
        @Override
        protected void initChannel(Channel channel) {
          YamuxStreamChannel stream = (YamuxStreamChannel) channel;
          streams.add(stream);
          maxOpen = Math.max(maxOpen, ++open);
          channel.closeFuture().addListener(f -> open--);
          int behaviour = stream.streamId() % 3;
          if (behaviour == 0) {
            channel.config().setAutoRead(false); // never reads: the window must hold the peer
          }
          channel.pipeline().addLast(new Counter(stream.streamId(), behaviour == 1));
        }
      };
    }

    private final class Counter extends ChannelInboundHandlerAdapter {
      private final int id;
      private final boolean echo;

      Counter(int id, boolean echo) {
        this.id = id;
        this.echo = echo;
      }

      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf) {
          delivered.merge(id, (long) buf.readableBytes(), Long::sum);
          if (echo) {
            ctx.writeAndFlush(msg);
            return;
          }
        }
        ReferenceCountUtil.release(msg);
      }
    }
  }
}
