package io.phase.p2p.ping;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.phase.p2p.host.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Echoes each complete 32-byte ping on a stream. Half-closes when the peer half-closes (a trailing
 * partial ping is dropped); closes after {@link Ping#MAX_PINGS_PER_STREAM} pings or when an {@link
 * IdleStateEvent} arrives (installed with an idle handler by {@link Ping}). Stops reading while the
 * peer does not read our echoes.
 */
final class PingResponder extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(PingResponder.class);

  private ByteBuf pending;
  private int pings;
  private boolean done;

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    pending = ctx.alloc().heapBuffer(Ping.PAYLOAD_BYTES, Ping.PAYLOAD_BYTES);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    if (pending != null) {
      pending.release();
      pending = null;
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf in = (ByteBuf) msg;
    try {
      while (!done && in.isReadable()) {
        int n = Math.min(in.readableBytes(), pending.writableBytes());
        pending.writeBytes(in, n);
        if (pending.isWritable()) {
          break;
        }
        ctx.write(pending);
        pending = ctx.alloc().heapBuffer(Ping.PAYLOAD_BYTES, Ping.PAYLOAD_BYTES);
        if (++pings >= Ping.MAX_PINGS_PER_STREAM) {
          LOG.debug(
              "ping_stream_limit stream={} pings={}",
              ctx.channel().toString(),
              Ping.MAX_PINGS_PER_STREAM);
          done = true;
          ctx.flush();
          Stream.of(ctx.channel()).closeWrite().addListener(f -> ctx.close());
        }
      }
    } finally {
      in.release();
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    ctx.flush();
    if (!ctx.channel().isWritable()) {
      ctx.channel().config().setAutoRead(false);
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    if (ctx.channel().isWritable()) {
      ctx.channel().config().setAutoRead(true);
    }
    super.channelWritabilityChanged(ctx);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof ChannelInputShutdownEvent) {
      done = true;
      ctx.flush();
      Stream.of(ctx.channel()).closeWrite();
      return;
    }
    if (evt instanceof IdleStateEvent) {
      LOG.debug("ping_stream_idle stream={}", ctx.channel());
      done = true;
      ctx.close();
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("ping_stream_failed stream={} error={}", ctx.channel(), cause.toString());
    ctx.close();
  }
}
