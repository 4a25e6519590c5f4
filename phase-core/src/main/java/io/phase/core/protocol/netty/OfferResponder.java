package io.phase.core.protocol.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.phase.core.protocol.EofCollector;
import io.phase.core.protocol.JobOffer;
import io.phase.core.protocol.JobResponse;
import io.phase.core.protocol.OfferCodec;
import io.phase.core.protocol.ProtocolException;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The responder's side of {@code /phase/job-offer/1.0.0} on a stream channel: reads the request to
 * end of stream (at most {@link OfferCodec#MAX_REQUEST_BYTES}), answers it with {@code answer} (or
 * {@code Rejected{InvalidRequest}} if it cannot be decoded or is too large), writes the response
 * and closes. The whole exchange is bounded by {@link OfferCodec#REQUEST_TIMEOUT}. {@code answer}
 * runs on the event loop and must not block.
 */
public final class OfferResponder extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(OfferResponder.class);

  private final Function<JobOffer, JobResponse> answer;
  private final EofCollector request = new EofCollector(OfferCodec.MAX_REQUEST_BYTES);
  private ScheduledFuture<?> timeout;
  private boolean answered;

  public OfferResponder(Function<JobOffer, JobResponse> answer) {
    this.answer = Objects.requireNonNull(answer, "answer");
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    timeout =
        ctx.executor()
            .schedule(
                () -> {
                  if (!answered) {
                    answered = true;
                    LOG.info("offer_timeout channel={}", ctx.channel());
                    ctx.close();
                  }
                },
                OfferCodec.REQUEST_TIMEOUT.toMillis(),
                TimeUnit.MILLISECONDS);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (answered || !(msg instanceof ByteBuf buf)) {
        return;
      }
      try {
        request.append(buf.nioBuffer());
      } catch (ProtocolException e) {
        respond(ctx, OfferCodec.rejectMalformed(new byte[0], e));
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof ChannelInputShutdownEvent && !answered) {
      byte[] bytes = request.toByteArray();
      JobResponse response;
      try {
        response = answer.apply(OfferCodec.decodeRequest(bytes));
      } catch (ProtocolException e) {
        LOG.info("offer_malformed channel={} reason=\"{}\"", ctx.channel(), e.getMessage());
        response = OfferCodec.rejectMalformed(bytes, e);
      }
      respond(ctx, response);
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    cancelTimeout();
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("offer_stream_failed channel={} error={}", ctx.channel(), cause.toString());
    ctx.close();
  }

  private void respond(ChannelHandlerContext ctx, JobResponse response) {
    answered = true;
    cancelTimeout();
    ctx.writeAndFlush(Unpooled.wrappedBuffer(OfferCodec.encodeResponse(response)))
        .addListener(ChannelFutureListener.CLOSE);
  }

  private void cancelTimeout() {
    if (timeout != null) {
      timeout.cancel(false);
    }
  }
}
