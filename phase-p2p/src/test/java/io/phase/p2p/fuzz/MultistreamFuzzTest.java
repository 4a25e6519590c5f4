package io.phase.p2p.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.phase.p2p.mss.MultistreamCodec;
import io.phase.p2p.mss.MultistreamException;
import io.phase.p2p.mss.MultistreamInitiator;
import io.phase.p2p.mss.MultistreamListener;
import io.phase.p2p.mss.MultistreamResponder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * multistream-select: the message codec on raw bytes, and both negotiating handlers on an embedded
 * channel fed arbitrary peer bytes. Every run must end negotiated (handler gone, later bytes passed
 * on intact), failed (listener told once, channel closed) or still waiting (channel open) — and a
 * waiting one must fail cleanly at its timeout.
 */
@ExtendWith(QuietLogs.class)
class MultistreamFuzzTest {
  private static final Set<String> SERVED = Set.of("/noise", "/yamux/1.0.0", "/ipfs/id/1.0.0");
  private static final List<String> PROPOSED = List.of("/yamux/1.0.0", "/mplex/6.7.0");
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  @FuzzTest(maxDuration = "30s")
  void codec(byte[] data) {
    ByteBuf in = Unpooled.wrappedBuffer(data);
    while (true) {
      int start = in.readerIndex();
      String message;
      try {
        message = MultistreamCodec.read(in);
      } catch (MultistreamException e) {
        return;
      }
      if (message == null) {
        assertEquals(start, in.readerIndex(), "incomplete message consumed bytes");
        assertTrue(in.readableBytes() < MultistreamCodec.MAX_MESSAGE_BYTES + 3);
        return;
      }
      int consumed = in.readerIndex() - start;
      assertTrue(consumed <= MultistreamCodec.MAX_MESSAGE_BYTES + 2, "over-long message accepted");
      assertFalse(message.contains("\n"));
      byte[] raw = Arrays.copyOfRange(data, start, in.readerIndex());
      ByteBuf reencoded = Unpooled.buffer();
      MultistreamCodec.write(reencoded, message);
      byte[] again = new byte[reencoded.readableBytes()];
      reencoded.readBytes(again);
      int varintLength = 1;
      while ((raw[varintLength - 1] & 0x80) != 0) {
        varintLength++;
      }
      if (isUtf8(Arrays.copyOfRange(raw, varintLength, raw.length - 1))) {
        assertArrayEquals(raw, again, "valid message does not re-encode to the same bytes");
      }
      try {
        assertEquals(message, MultistreamCodec.read(Unpooled.wrappedBuffer(again)));
      } catch (MultistreamException e) {
        throw new AssertionError("re-encoded message rejected", e);
      }
    }
  }

  @FuzzTest(maxDuration = "30s")
  void responder(FuzzedDataProvider data) {
    Outcome outcome = new Outcome();
    byte[] peer = data.consumeBytes(data.consumeInt(0, 4096));
    FuzzChannel ch = new FuzzChannel(new MultistreamResponder(SERVED::contains, TIMEOUT, outcome));
    ch.feedChunked(peer, data);
    checkOutcome(ch, outcome, peer, true);
  }

  @FuzzTest(maxDuration = "30s")
  void initiator(FuzzedDataProvider data) {
    Outcome outcome = new Outcome();
    byte[] peer = data.consumeBytes(data.consumeInt(0, 4096));
    FuzzChannel ch = new FuzzChannel(new MultistreamInitiator(PROPOSED, TIMEOUT, outcome));
    ch.feedChunked(peer, data);
    checkOutcome(ch, outcome, peer, false);
  }

  private static void checkOutcome(
      FuzzChannel ch, Outcome outcome, byte[] peer, boolean responder) {
    byte[] sent = ch.outbound();
    List<String> replies = messages(sent);
    assertEquals(MultistreamCodec.PROTOCOL_ID, replies.get(0), "first message must be the header");
    if (responder) {
      assertTrue(replies.size() <= 1 + 32, "answered more than 32 proposals");
    } else {
      assertTrue(replies.size() <= 1 + PROPOSED.size(), "proposed more than configured");
    }
    if (outcome.selected != null) {
      assertNull(outcome.failure);
      assertTrue(ch.isOpen(), "negotiated channel closed");
      assertTrue(
          responder ? SERVED.contains(outcome.selected) : PROPOSED.contains(outcome.selected));
      assertNull(ch.channel().pipeline().first(), "negotiating handler still in the pipeline");
      // The bytes after the selecting message reach the next handler unchanged.
      byte[] rest = ch.inboundPassedThrough();
      assertArrayEquals(Arrays.copyOfRange(peer, outcome.consumedAt(peer), peer.length), rest);
    } else if (outcome.failure != null) {
      assertFalse(ch.isOpen(), "failed negotiation left the channel open");
    } else {
      assertTrue(ch.isOpen());
      ch.advance(TIMEOUT.toMillis() + 1, TimeUnit.MILLISECONDS);
      assertNotNull(outcome.failure, "pending negotiation did not time out");
      assertFalse(ch.isOpen());
    }
    assertTrue(outcome.calls <= 1, "listener called " + outcome.calls + " times");
    ch.alloc().assertAllocatedAtMost(64L * 1024 + 4L * peer.length, "multistream");
    ch.closeAndCheckLeaks();
  }

  private static List<String> messages(byte[] bytes) {
    List<String> out = new ArrayList<>();
    ByteBuf in = Unpooled.wrappedBuffer(bytes);
    try {
      for (String m; (m = MultistreamCodec.read(in)) != null; ) {
        out.add(m);
      }
    } catch (MultistreamException e) {
      throw new AssertionError("handler wrote an invalid message", e);
    }
    assertFalse(in.isReadable(), "handler wrote a partial message");
    return out;
  }

  private static boolean isUtf8(byte[] bytes) {
    try {
      StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  /** Records the listener calls. */
  private static final class Outcome implements MultistreamListener {
    String selected;
    MultistreamException failure;
    int calls;

    @Override
    public void selected(ChannelHandlerContext ctx, String protocolId) {
      calls++;
      selected = protocolId;
    }

    @Override
    public void failed(ChannelHandlerContext ctx, MultistreamException cause) {
      calls++;
      failure = cause;
    }

    /** Offset in {@code peer} just after the message that completed the negotiation. */
    int consumedAt(byte[] peer) {
      ByteBuf in = Unpooled.wrappedBuffer(peer);
      try {
        for (String m; (m = MultistreamCodec.read(in)) != null; ) {
          if (m.equals(selected)) {
            return in.readerIndex();
          }
        }
      } catch (MultistreamException e) {
        throw new AssertionError("negotiation succeeded on input the codec rejects", e);
      }
      throw new AssertionError("selected protocol " + selected + " not found in the input");
    }
  }
}
