package io.phase.p2p.mss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MultistreamTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  /** Records the outcome and installs a handler that collects bytes after negotiation. */
  static final class Outcome implements MultistreamListener {
    String selected;
    MultistreamException failure;
    final List<String> after = new ArrayList<>();

    @Override
    public void selected(ChannelHandlerContext ctx, String protocolId) {
      selected = protocolId;
      ctx.pipeline()
          .addAfter(
              ctx.name(),
              "collect",
              new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext c, Object msg) {
                  ByteBuf buf = (ByteBuf) msg;
                  after.add(buf.toString(StandardCharsets.UTF_8));
                  buf.release();
                }
              });
    }

    @Override
    public void failed(ChannelHandlerContext ctx, MultistreamException cause) {
      failure = cause;
    }
  }

  private static ByteBuf msgs(String... texts) {
    return MultistreamCodec.encode(ByteBufAllocator.DEFAULT, texts);
  }

  private static List<String> drain(EmbeddedChannel ch) throws MultistreamException {
    List<String> out = new ArrayList<>();
    ByteBuf all = Unpooled.buffer();
    for (ByteBuf b; (b = ch.readOutbound()) != null; ) {
      all.writeBytes(b);
      b.release();
    }
    for (String s; (s = MultistreamCodec.read(all)) != null; ) {
      out.add(s);
    }
    assertEquals(0, all.readableBytes());
    return out;
  }

  /** Moves bytes between two embedded channels until neither has output left. */
  private static void pump(EmbeddedChannel a, EmbeddedChannel b) {
    boolean moved = true;
    while (moved) {
      moved = false;
      for (ByteBuf x; (x = a.readOutbound()) != null; moved = true) {
        b.writeInbound(x);
      }
      for (ByteBuf x; (x = b.readOutbound()) != null; moved = true) {
        a.writeInbound(x);
      }
    }
  }

  @Test
  void codecRoundTripAndPartialInput() throws Exception {
    ByteBuf buf = msgs("/yamux/1.0.0");
    assertEquals(14, buf.readableBytes());
    ByteBuf partial = buf.slice(0, 5);
    assertNull(MultistreamCodec.read(partial));
    assertEquals(0, partial.readerIndex());
    assertEquals("/yamux/1.0.0", MultistreamCodec.read(buf));
    assertFalse(buf.isReadable());
  }

  @Test
  void codecRejectsBadMessages() {
    assertThrows(
        MultistreamException.class,
        () -> MultistreamCodec.read(Unpooled.wrappedBuffer(new byte[] {3, 'a', 'b', 'c'})));
    assertThrows(
        MultistreamException.class,
        () -> MultistreamCodec.read(Unpooled.wrappedBuffer(new byte[] {(byte) 0x81, 0x08})));
    assertThrows(
        MultistreamException.class,
        () -> MultistreamCodec.read(Unpooled.wrappedBuffer(new byte[] {(byte) 0x81, 0x00})));
    assertThrows(
        MultistreamException.class,
        () ->
            MultistreamCodec.read(
                Unpooled.wrappedBuffer(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 1})));
    assertThrows(
        MultistreamException.class,
        () -> MultistreamCodec.read(Unpooled.wrappedBuffer(new byte[] {1, '\n'})));
    assertThrows(
        MultistreamException.class,
        () -> MultistreamCodec.read(Unpooled.wrappedBuffer(new byte[] {3, 'a', '\n', '\n'})));
    assertThrows(IllegalArgumentException.class, () -> MultistreamCodec.validateProtocolId("a\nb"));
    assertThrows(
        IllegalArgumentException.class,
        () -> MultistreamCodec.validateProtocolId("x".repeat(1024)));
  }

  @Test
  void initiatorPipelinesHeaderAndFirstProposal() throws Exception {
    Outcome o = new Outcome();
    EmbeddedChannel ch =
        new EmbeddedChannel(new MultistreamInitiator(List.of("/a", "/b"), TIMEOUT, o));
    assertEquals(List.of(MultistreamCodec.PROTOCOL_ID, "/a"), drain(ch));
    ch.writeInbound(msgs(MultistreamCodec.PROTOCOL_ID, "na"));
    assertEquals(List.of("/b"), drain(ch));
    ByteBuf reply = msgs("/b");
    reply.writeBytes("early data".getBytes(StandardCharsets.UTF_8));
    ch.writeInbound(reply);
    assertEquals("/b", o.selected);
    assertEquals(List.of("early data"), o.after);
    assertNull(ch.pipeline().get(MultistreamInitiator.class));
    assertTrue(ch.isOpen());
  }

  @Test
  void initiatorFailsWhenNothingSupported() {
    Outcome o = new Outcome();
    EmbeddedChannel ch = new EmbeddedChannel(new MultistreamInitiator(List.of("/a"), TIMEOUT, o));
    ch.writeInbound(msgs(MultistreamCodec.PROTOCOL_ID, "na"));
    assertNotNull(o.failure);
    assertFalse(ch.isOpen());
  }

  @Test
  void initiatorRejectsWrongHeaderAndUnexpectedReply() {
    Outcome o = new Outcome();
    EmbeddedChannel ch = new EmbeddedChannel(new MultistreamInitiator(List.of("/a"), TIMEOUT, o));
    ch.writeInbound(msgs("/multistream/2.0.0"));
    assertTrue(o.failure.getMessage().contains("header"));
    assertFalse(ch.isOpen());

    Outcome o2 = new Outcome();
    EmbeddedChannel ch2 = new EmbeddedChannel(new MultistreamInitiator(List.of("/a"), TIMEOUT, o2));
    ch2.writeInbound(msgs(MultistreamCodec.PROTOCOL_ID, "/other"));
    assertTrue(o2.failure.getMessage().contains("unexpected reply"));
    assertFalse(ch2.isOpen());
  }

  @Test
  void responderAnswersNaThenAccepts() throws Exception {
    Outcome o = new Outcome();
    EmbeddedChannel ch =
        new EmbeddedChannel(new MultistreamResponder(Set.of("/b")::contains, TIMEOUT, o));
    assertEquals(List.of(MultistreamCodec.PROTOCOL_ID), drain(ch));
    ch.writeInbound(msgs(MultistreamCodec.PROTOCOL_ID, "/a", "/b"));
    assertEquals(List.of("na", "/b"), drain(ch));
    assertEquals("/b", o.selected);
    assertNull(ch.pipeline().get(MultistreamResponder.class));
  }

  @Test
  void responderCapsProposals() {
    Outcome o = new Outcome();
    EmbeddedChannel ch = new EmbeddedChannel(new MultistreamResponder(p -> false, TIMEOUT, o));
    ch.writeInbound(msgs(MultistreamCodec.PROTOCOL_ID));
    for (int i = 0; i <= 32 && ch.isOpen(); i++) {
      ch.writeInbound(msgs("/p" + i));
    }
    assertNotNull(o.failure);
    assertTrue(o.failure.getMessage().contains("proposals"));
    assertFalse(ch.isOpen());
  }

  @Test
  void oversizedAndGarbageInputClosesChannel() {
    Outcome o = new Outcome();
    EmbeddedChannel ch = new EmbeddedChannel(new MultistreamResponder(p -> true, TIMEOUT, o));
    ByteBuf huge = Unpooled.buffer();
    huge.writeByte(0x81).writeByte(0x10); // 2049
    ch.writeInbound(huge);
    assertTrue(o.failure.getMessage().contains("exceeds"));
    assertFalse(ch.isOpen());

    Outcome o2 = new Outcome();
    EmbeddedChannel ch2 = new EmbeddedChannel(new MultistreamResponder(p -> true, TIMEOUT, o2));
    // A length byte followed by text that does not end in a newline.
    ch2.writeInbound(Unpooled.wrappedBuffer("\u0005hello world".getBytes(StandardCharsets.UTF_8)));
    assertNotNull(o2.failure);
    assertFalse(ch2.isOpen());
  }

  @Test
  void truncatedInputFailsOnClose() {
    Outcome o = new Outcome();
    EmbeddedChannel ch = new EmbeddedChannel(new MultistreamResponder(p -> true, TIMEOUT, o));
    ch.writeInbound(msgs(MultistreamCodec.PROTOCOL_ID).slice(0, 5));
    assertNull(o.failure);
    ch.close();
    assertTrue(o.failure.getMessage().contains("closed"));
  }

  @Test
  void timesOutWhenPeerIsSilent() {
    Outcome o = new Outcome();
    EmbeddedChannel ch =
        new EmbeddedChannel(new MultistreamInitiator(List.of("/a"), Duration.ofSeconds(2), o));
    ch.advanceTimeBy(1, TimeUnit.SECONDS);
    ch.runScheduledPendingTasks();
    assertTrue(ch.isOpen());
    ch.advanceTimeBy(2, TimeUnit.SECONDS);
    ch.runScheduledPendingTasks();
    assertTrue(o.failure.getMessage().contains("timed out"));
    assertFalse(ch.isOpen());
  }

  @Test
  void initiatorAndResponderAgree() {
    Outcome i = new Outcome();
    Outcome r = new Outcome();
    EmbeddedChannel a =
        new EmbeddedChannel(new MultistreamInitiator(List.of("/x", "/y", "/z"), TIMEOUT, i));
    EmbeddedChannel b =
        new EmbeddedChannel(new MultistreamResponder(Set.of("/z", "/y")::contains, TIMEOUT, r));
    pump(a, b);
    assertEquals("/y", i.selected);
    assertEquals("/y", r.selected);
    assertNull(i.failure);
    assertNull(r.failure);
  }
}
