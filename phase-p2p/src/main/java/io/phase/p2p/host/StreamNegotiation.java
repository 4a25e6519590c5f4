package io.phase.p2p.host;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.phase.p2p.errors.Causes;
import io.phase.p2p.mss.MultistreamException;
import io.phase.p2p.mss.MultistreamInitiator;
import io.phase.p2p.mss.MultistreamListener;
import io.phase.p2p.mss.MultistreamResponder;
import io.phase.p2p.yamux.YamuxStreamChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Protocol negotiation on yamux streams, both directions. */
final class StreamNegotiation {
  private static final Logger LOG = LoggerFactory.getLogger(StreamNegotiation.class);

  private StreamNegotiation() {}

  /** Handler for inbound streams of {@code connection}: answers proposals, then dispatches. */
  static ChannelInitializer<YamuxStreamChannel> inbound(
      Function<String, StreamHandler> handlers,
      Duration timeout,
      CompletableFuture<Connection> connection) {
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(YamuxStreamChannel ch) {
        ch.pipeline()
            .addLast(
                "mss",
                new MultistreamResponder(
                    id -> handlers.apply(id) != null,
                    timeout,
                    new MultistreamListener() {
                      @Override
                      public void selected(ChannelHandlerContext ctx, String protocolId) {
                        StreamHandler handler = handlers.apply(protocolId);
                        Connection conn = connection.getNow(null);
                        if (handler == null || conn == null) {
                          ch.reset();
                          return;
                        }
                        conn.negotiated(protocolId);
                        try {
                          handler.handle(new Stream(new YamuxChannel(ch), protocolId, conn));
                        } catch (RuntimeException e) {
                          LOG.warn(
                              "stream_handler_failed protocol={} peer={} error={}",
                              protocolId,
                              conn.remotePeer(),
                              Causes.rootMessage(e));
                          ch.reset();
                        }
                      }

                      @Override
                      public void failed(ChannelHandlerContext ctx, MultistreamException cause) {
                        LOG.debug(
                            "stream_negotiation_failed stream={} reason={}",
                            ch.streamId(),
                            cause.getMessage());
                      }
                    }));
      }
    };
  }

  /** Opens an outbound stream on {@code connection} and negotiates one of {@code protocols}. */
  static CompletableFuture<Stream> outbound(
      Connection connection, List<String> protocols, StreamHandler initializer, Duration timeout) {
    CompletableFuture<Stream> result = new CompletableFuture<>();
    MultistreamInitiator initiator =
        new MultistreamInitiator(
            protocols,
            timeout,
            new MultistreamListener() {
              @Override
              public void selected(ChannelHandlerContext ctx, String protocolId) {
                connection.negotiated(protocolId);
                Stream stream =
                    new Stream(
                        new YamuxChannel((YamuxStreamChannel) ctx.channel()),
                        protocolId,
                        connection);
                try {
                  if (initializer != null) {
                    initializer.handle(stream);
                  }
                  result.complete(stream);
                } catch (RuntimeException e) {
                  stream.reset();
                  result.completeExceptionally(e);
                }
              }

              @Override
              public void failed(ChannelHandlerContext ctx, MultistreamException cause) {
                result.completeExceptionally(cause);
              }
            });
    connection
        .session()
        .openStream(initiator)
        .addListener(
            f -> {
              if (!f.isSuccess()) {
                result.completeExceptionally(f.cause());
              }
            });
    return result;
  }
}
