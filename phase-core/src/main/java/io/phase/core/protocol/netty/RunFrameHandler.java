package io.phase.core.protocol.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import io.phase.core.protocol.ProtocolException;
import io.phase.core.protocol.RunFrameCodec;
import io.phase.core.protocol.RunMessage;
import io.phase.core.protocol.RunMessage.Sender;
import java.util.List;
import java.util.Objects;

/**
 * Decodes {@code /phase/job-run/1.0.0} frames arriving on a stream channel into messages for a
 * {@link RunStreamListener}, buffering at most one frame ({@link RunFrameCodec#MAX_FRAME_LENGTH}).
 * A bad frame stops decoding for good and is reported once; a peer half-close inside a frame is a
 * protocol error. Runs on the event loop; {@link #write} encodes a message onto a channel.
 */
public final class RunFrameHandler extends ChannelInboundHandlerAdapter {
  private final RunFrameCodec.Decoder decoder;
  private final RunStreamListener listener;
  private boolean failed;
  private boolean closed;

  /** A handler decoding frames sent by {@code from}. */
  public RunFrameHandler(Sender from, RunStreamListener listener) {
    this.decoder = RunFrameCodec.decoder(from);
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  /** Encodes {@code message} and writes it (without flushing). */
  public static ChannelFuture write(Channel channel, RunMessage message) {
    return channel.write(Unpooled.wrappedBuffer(RunFrameCodec.encode(message)));
  }

  /** Encodes {@code message}, writes and flushes it. */
  public static ChannelFuture writeAndFlush(Channel channel, RunMessage message) {
    return channel.writeAndFlush(Unpooled.wrappedBuffer(RunFrameCodec.encode(message)));
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (failed || !(msg instanceof ByteBuf buf)) {
        return;
      }
      List<RunMessage> messages;
      try {
        messages = decoder.feed(buf.nioBuffer());
      } catch (ProtocolException e) {
        failed = true;
        listener.onProtocolError(e);
        return;
      }
      for (RunMessage m : messages) {
        listener.onMessage(m);
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof ChannelInputShutdownEvent && !failed) {
      try {
        decoder.finish();
        listener.onInputEnded();
      } catch (ProtocolException e) {
        failed = true;
        listener.onProtocolError(e);
      }
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable()) {
      listener.onWritable();
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (!closed) {
      closed = true;
      listener.onClosed();
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
