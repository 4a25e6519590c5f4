package io.phase.p2p.mss;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.phase.p2p.netty.TimedNegotiationDecoder;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shared machinery of the initiator and responder: framing, the header exchange, the proposal cap
 * and the timeout. Subclasses decide what to send and how to answer.
 */
abstract class MultistreamHandler extends TimedNegotiationDecoder {
  /** Default cap on proposals (initiator: sent; responder: received) per negotiation. */
  static final int MAX_PROPOSALS = 32;

  private static final Logger LOG = LoggerFactory.getLogger(MultistreamHandler.class);

  private final MultistreamListener listener;
  private boolean headerReceived;
  private boolean finished;

  MultistreamHandler(Duration timeout, MultistreamListener listener) {
    super(timeout);
    this.listener = listener;
  }

  /** Writes the opening messages (the header, plus the initiator's first proposal). */
  @Override
  protected abstract void start(ChannelHandlerContext ctx);

  /** Handles one message after the header; returns the agreed protocol or {@code null}. */
  abstract String onMessage(ChannelHandlerContext ctx, String message) throws MultistreamException;

  @Override
  protected void timedOut(ChannelHandlerContext ctx) {
    fail(
        ctx,
        new MultistreamException("negotiation timed out after " + timeout().toMillis() + " ms"));
  }

  @Override
  protected final void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (finished) {
      in.skipBytes(in.readableBytes());
      return;
    }
    try {
      while (!finished) {
        String message = MultistreamCodec.read(in);
        if (message == null) {
          return;
        }
        if (!headerReceived) {
          if (!MultistreamCodec.PROTOCOL_ID.equals(message)) {
            throw new MultistreamException("unexpected multistream header: " + quote(message));
          }
          headerReceived = true;
          continue;
        }
        String selected = onMessage(ctx, message);
        if (selected != null) {
          succeed(ctx, selected);
        }
      }
    } catch (MultistreamException e) {
      in.skipBytes(in.readableBytes());
      fail(ctx, e);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
    super.channelReadComplete(ctx);
    if (!finished && !ctx.channel().config().isAutoRead()) {
      ctx.read();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    fail(ctx, new MultistreamException("channel closed during negotiation"));
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    fail(ctx, new MultistreamException("channel failed during negotiation: " + cause));
  }

  /** Writes and flushes the given messages, closing the channel if the write fails. */
  static void send(ChannelHandlerContext ctx, String... messages) {
    ctx.writeAndFlush(MultistreamCodec.encode(ctx.alloc(), messages))
        .addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
  }

  private void succeed(ChannelHandlerContext ctx, String protocolId) {
    finished = true;
    cancelTimeout();
    LOG.debug("mss_selected channel={} protocol={}", ctx.channel().id(), quote(protocolId));
    listener.selected(ctx, protocolId);
    if (!ctx.isRemoved()) {
      ctx.pipeline().remove(this);
    }
  }

  private void fail(ChannelHandlerContext ctx, MultistreamException cause) {
    if (finished) {
      return;
    }
    finished = true;
    cancelTimeout();
    LOG.debug("mss_failed channel={} reason={}", ctx.channel().id(), cause.getMessage());
    try {
      listener.failed(ctx, cause);
    } finally {
      ctx.close();
    }
  }

  /** Quotes untrusted text for logs and errors: bounded length, control characters escaped. */
  static String quote(String text) {
    StringBuilder sb = new StringBuilder(Math.min(text.length(), 100) + 2).append('"');
    for (int i = 0; i < text.length() && i < 96; i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c == 0x7f || c == '"' || c == '\\') {
        sb.append(String.format("\\x%02x", (int) c));
      } else {
        sb.append(c);
      }
    }
    if (text.length() > 96) {
      sb.append("...");
    }
    return sb.append('"').toString();
  }
}
