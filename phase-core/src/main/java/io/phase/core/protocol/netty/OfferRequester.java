package io.phase.core.protocol.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import io.phase.core.protocol.EofCollector;
import io.phase.core.protocol.JobOffer;
import io.phase.core.protocol.JobResponse;
import io.phase.core.protocol.OfferCodec;
import io.phase.core.protocol.ProtocolException;
import io.phase.p2p.host.Connection;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The requester's side of {@code /phase/job-offer/1.0.0}: opens a stream, writes the offer,
 * half-closes, reads the response to end of stream (at most {@link OfferCodec#MAX_RESPONSE_BYTES})
 * and decodes it. The future fails with a {@link ProtocolException} for a bad response, an {@link
 * IOException} when the stream ends early, or a timeout after {@link OfferCodec#REQUEST_TIMEOUT}.
 */
public final class OfferRequester extends ChannelInboundHandlerAdapter {
  private final EofCollector response = new EofCollector(OfferCodec.MAX_RESPONSE_BYTES);
  private final CompletableFuture<JobResponse> result = new CompletableFuture<>();

  private OfferRequester() {}

  /** Sends {@code offer} to the peer of {@code connection} and returns its decoded answer. */
  public static CompletableFuture<JobResponse> request(Connection connection, JobOffer offer) {
    OfferRequester requester = new OfferRequester();
    byte[] request = OfferCodec.encodeRequest(offer);
    connection
        .newStream(s -> s.channel().pipeline().addLast(requester), OfferCodec.PROTOCOL_ID)
        .whenComplete(
            (stream, error) -> {
              if (error != null) {
                requester.result.completeExceptionally(error);
                return;
              }
              var ch = stream.channel();
              ch.writeAndFlush(Unpooled.wrappedBuffer(request))
                  .addListener(f -> stream.closeWrite());
              requester.result.whenComplete((r, e) -> ch.close());
            });
    return requester.result.orTimeout(OfferCodec.REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof ByteBuf buf && !result.isDone()) {
        response.append(buf.nioBuffer());
      }
    } catch (ProtocolException e) {
      result.completeExceptionally(e);
      ctx.close();
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof ChannelInputShutdownEvent) {
      complete();
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    complete();
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    result.completeExceptionally(cause);
    ctx.close();
  }

  private void complete() {
    if (result.isDone()) {
      return;
    }
    if (response.size() == 0) {
      result.completeExceptionally(new IOException("the worker closed the offer stream"));
      return;
    }
    try {
      result.complete(OfferCodec.decodeResponse(response.toByteArray()));
    } catch (ProtocolException e) {
      result.completeExceptionally(e);
    }
  }
}
