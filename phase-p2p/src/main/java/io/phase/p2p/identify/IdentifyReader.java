package io.phase.p2p.identify;

import com.google.protobuf.InvalidProtocolBufferException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.concurrent.ScheduledFuture;
import io.phase.p2p.host.Stream;
import io.phase.p2p.identify.pb.IdentifyProto;
import io.phase.p2p.multiformats.Varint;
import io.phase.p2p.netty.VarintFrames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Reads the varint-length-prefixed Identify messages a peer sends on one stream until it
 * half-closes: at most {@link #MAX_MESSAGES} messages of at most {@link #MAX_MESSAGE_BYTES} each
 * (as go- and js-libp2p), within a deadline. Then closes the stream; on any failure resets it.
 */
final class IdentifyReader extends ChannelInboundHandlerAdapter {
  static final int MAX_MESSAGE_BYTES = Identify.MAX_MESSAGE_BYTES;
  static final int MAX_MESSAGES = Identify.MAX_MESSAGES;

  private static final int MAX_STREAM_BYTES =
      MAX_MESSAGES * (MAX_MESSAGE_BYTES + Varint.encodedLength(MAX_MESSAGE_BYTES));

  private final Duration timeout;
  private final CompletableFuture<List<IdentifyProto.Identify>> result = new CompletableFuture<>();
  private final List<IdentifyProto.Identify> messages = new ArrayList<>();
  private ByteBuf cumulation;
  private long received;
  private ScheduledFuture<?> timer;

  IdentifyReader(Duration timeout) {
    this.timeout = timeout;
  }

  /** Completes with the messages once the peer half-closed, or fails. */
  CompletableFuture<List<IdentifyProto.Identify>> result() {
    return result;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    cumulation = ctx.alloc().heapBuffer(256);
    timer =
        ctx.executor()
            .schedule(
                () -> fail(ctx, "no complete identify within " + timeout.toMillis() + " ms"),
                timeout.toNanos(),
                TimeUnit.NANOSECONDS);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    cancelTimer();
    if (cumulation != null) {
      cumulation.release();
      cumulation = null;
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf in = (ByteBuf) msg;
    try {
      if (result.isDone()) {
        return;
      }
      received += in.readableBytes();
      if (received > MAX_STREAM_BYTES) {
        fail(ctx, "more than " + MAX_STREAM_BYTES + " bytes on an identify stream");
        return;
      }
      cumulation.writeBytes(in);
    } finally {
      in.release();
    }
    try {
      decode();
    } catch (IdentifyException e) {
      fail(ctx, e.getMessage());
    }
  }

  private void decode() throws IdentifyException {
    while (cumulation.isReadable()) {
      if (messages.size() == MAX_MESSAGES) {
        throw new IdentifyException("more than " + MAX_MESSAGES + " identify messages");
      }
      byte[] body;
      try {
        body = VarintFrames.read(cumulation, MAX_MESSAGE_BYTES);
      } catch (IllegalArgumentException e) {
        throw new IdentifyException("bad identify message: " + e.getMessage());
      }
      if (body == null) {
        return;
      }
      try {
        messages.add(IdentifyProto.Identify.parseFrom(body));
      } catch (InvalidProtocolBufferException e) {
        throw new IdentifyException("malformed identify message: " + e.getMessage());
      }
    }
    cumulation.discardReadBytes();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof ChannelInputShutdownEvent) {
      finish(ctx);
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    finish(ctx);
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    fail(ctx, "stream failed: " + cause);
  }

  /** The peer finished sending (FIN) or the stream went away: complete messages count. */
  private void finish(ChannelHandlerContext ctx) {
    if (result.isDone()) {
      return;
    }
    if (cumulation != null && cumulation.isReadable()) {
      fail(ctx, "identify stream ended inside a message");
      return;
    }
    if (messages.isEmpty()) {
      fail(ctx, "identify stream ended without a message");
      return;
    }
    cancelTimer();
    result.complete(List.copyOf(messages));
    ctx.close();
  }

  private void fail(ChannelHandlerContext ctx, String reason) {
    if (result.isDone()) {
      return;
    }
    cancelTimer();
    result.completeExceptionally(new IdentifyException(reason));
    Stream.of(ctx.channel()).reset();
  }

  private void cancelTimer() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }
}
