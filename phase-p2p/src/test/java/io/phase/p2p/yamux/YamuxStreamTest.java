package io.phase.p2p.yamux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class YamuxStreamTest {

  /** Echoes everything back and half-closes when the peer half-closes. */
  static final class Echo extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ctx.write(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      ctx.flush();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof ChannelInputShutdownReadComplete) {
        ((YamuxStreamChannel) ctx.channel()).shutdownOutput();
      }
    }
  }

  /** Collects all bytes until the peer half-closes. */
  static final class Collector extends ChannelInboundHandlerAdapter {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final CompletableFuture<byte[]> done = new CompletableFuture<>();
    final CompletableFuture<Void> inactive = new CompletableFuture<>();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf buf = (ByteBuf) msg;
      byte[] b = new byte[buf.readableBytes()];
      buf.readBytes(b);
      buf.release();
      bytes.writeBytes(b);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof ChannelInputShutdownEvent) {
        done.complete(bytes.toByteArray());
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      inactive.complete(null);
      done.completeExceptionally(new IllegalStateException("closed before FIN"));
    }
  }

  static ChannelHandler init(java.util.function.Consumer<Channel> setup) {
    return new ChannelInitializer<Channel>() {
      @Override
      protected void initChannel(Channel ch) {
        setup.accept(ch);
      }
    };
  }

  static byte[] random(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  @Test
  void echoTenMegabytesBothWays() throws Exception {
    try (YamuxPair pair =
        new YamuxPair(YamuxConfig.DEFAULT, init(ch -> ch.pipeline().addLast(new Echo())))) {
      byte[] data = random(10 * 1024 * 1024);
      Collector collector = new Collector();
      YamuxStreamChannel stream = pair.open(collector);
      for (int off = 0; off < data.length; off += 100_000) {
        stream.write(Unpooled.wrappedBuffer(data, off, Math.min(100_000, data.length - off)));
      }
      stream.flush();
      stream.shutdownOutput().sync();
      assertArrayEquals(data, collector.done.get(30, TimeUnit.SECONDS));
      collector.inactive.get(5, TimeUnit.SECONDS);
      assertFalse(stream.isOpen());
      assertFalse(stream.isReset());
    }
  }

  @Test
  void hundredConcurrentStreams() throws Exception {
    try (YamuxPair pair =
        new YamuxPair(YamuxConfig.DEFAULT, init(ch -> ch.pipeline().addLast(new Echo())))) {
      List<Collector> collectors = new ArrayList<>();
      List<byte[]> payloads = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        Collector c = new Collector();
        YamuxStreamChannel s = pair.open(c);
        assertEquals(1, s.streamId() & 1);
        byte[] p = random(20_000 + i);
        s.writeAndFlush(Unpooled.wrappedBuffer(p));
        s.shutdownOutput();
        collectors.add(c);
        payloads.add(p);
      }
      for (int i = 0; i < 100; i++) {
        assertArrayEquals(payloads.get(i), collectors.get(i).done.get(20, TimeUnit.SECONDS));
      }
    }
  }

  @Test
  void slowReaderBackPressuresSender() throws Exception {
    AtomicReference<Channel> serverStream = new AtomicReference<>();
    AtomicLong received = new AtomicLong();
    try (YamuxPair pair =
        new YamuxPair(
            YamuxConfig.DEFAULT,
            init(
                ch -> {
                  ch.config().setAutoRead(false);
                  serverStream.set(ch);
                  ch.pipeline()
                      .addLast(
                          new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                              received.addAndGet(((ByteBuf) msg).readableBytes());
                              ((ByteBuf) msg).release();
                            }
                          });
                }))) {
      YamuxStreamChannel stream = pair.open(new ChannelInboundHandlerAdapter());
      int total = 2 * 1024 * 1024;
      stream.writeAndFlush(Unpooled.wrappedBuffer(new byte[total]));
      // The sender can only get one window ahead of a reader that never reads.
      waitUntil(() -> sendWindow(stream) == 0);
      Thread.sleep(200);
      assertEquals(0, sendWindow(stream));
      assertFalse(stream.isWritable());
      assertEquals(0, received.get());
      int unsent =
          stream
              .eventLoop()
              .submit(() -> ((ByteBuf) stream.unsafe().outboundBuffer().current()).readableBytes())
              .get(5, TimeUnit.SECONDS);
      assertEquals(total - YamuxFrames.INITIAL_WINDOW, unsent);
      // Each read() delivers what is buffered and returns credit, so the rest flows.
      while (received.get() < total) {
        serverStream.get().read();
        Thread.sleep(5);
      }
      assertEquals(total, received.get());
      waitUntil(stream::isWritable);
    }
  }

  @Test
  void halfCloseLetsTheResponderAnswerAfterEof() throws Exception {
    try (YamuxPair pair =
        new YamuxPair(
            YamuxConfig.DEFAULT,
            init(
                ch ->
                    ch.pipeline()
                        .addLast(
                            new ChannelInboundHandlerAdapter() {
                              int bytes;

                              @Override
                              public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                bytes += ((ByteBuf) msg).readableBytes();
                                ((ByteBuf) msg).release();
                              }

                              @Override
                              public void userEventTriggered(
                                  ChannelHandlerContext ctx, Object evt) {
                                if (evt instanceof ChannelInputShutdownReadComplete) {
                                  ctx.writeAndFlush(Unpooled.copyInt(bytes))
                                      .addListener(f -> ctx.close());
                                }
                              }
                            })))) {
      Collector collector = new Collector();
      YamuxStreamChannel stream = pair.open(collector);
      stream.writeAndFlush(Unpooled.wrappedBuffer(new byte[12345]));
      stream.shutdownOutput().sync();
      assertTrue(stream.isOutputShutdown());
      assertThrows(
          ExecutionException.class,
          () -> toCompletable(stream.writeAndFlush(Unpooled.buffer(1).writeByte(1))).get());
      byte[] reply = collector.done.get(5, TimeUnit.SECONDS);
      assertEquals(12345, Unpooled.wrappedBuffer(reply).readInt());
      collector.inactive.get(5, TimeUnit.SECONDS);
      assertFalse(stream.isReset(), "reset by peer: " + stream.isResetByPeer());
      waitUntil(() -> pair.serverSession.streamCount() == 0);
      waitUntil(() -> pair.clientSession.streamCount() == 0);
    }
  }

  @Test
  void resetReachesThePeer() throws Exception {
    CompletableFuture<YamuxStreamChannel> inactive = new CompletableFuture<>();
    CompletableFuture<Void> gotData = new CompletableFuture<>();
    try (YamuxPair pair =
        new YamuxPair(
            YamuxConfig.DEFAULT,
            init(
                ch ->
                    ch.pipeline()
                        .addLast(
                            new ChannelInboundHandlerAdapter() {
                              @Override
                              public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                ((ByteBuf) msg).release();
                                gotData.complete(null);
                              }

                              @Override
                              public void channelInactive(ChannelHandlerContext ctx) {
                                inactive.complete((YamuxStreamChannel) ctx.channel());
                              }
                            })))) {
      YamuxStreamChannel stream = pair.open(new ChannelInboundHandlerAdapter());
      stream.writeAndFlush(Unpooled.wrappedBuffer(new byte[10]));
      gotData.get(5, TimeUnit.SECONDS);
      stream.reset().sync();
      assertTrue(stream.isReset());
      YamuxStreamChannel remote = inactive.get(5, TimeUnit.SECONDS);
      assertTrue(remote.isResetByPeer());
      assertTrue(pair.client.isActive());
    }
  }

  @Test
  void inboundStreamsOverTheLimitAreReset() throws Exception {
    try (YamuxPair pair =
        new YamuxPair(
            YamuxConfig.DEFAULT.withMaxStreams(2),
            init(ch -> ch.pipeline().addLast(new ChannelInboundHandlerAdapter())))) {
      YamuxStreamChannel a = pair.open(new ChannelInboundHandlerAdapter());
      YamuxStreamChannel b = pair.open(new ChannelInboundHandlerAdapter());
      Collector c = new Collector();
      YamuxStreamChannel third = pair.open(c);
      c.inactive.get(5, TimeUnit.SECONDS);
      assertTrue(third.isResetByPeer());
      assertTrue(a.isOpen());
      assertTrue(b.isOpen());
      assertTrue(pair.client.isActive());
    }
  }

  @Test
  void goAwayStopsNewStreams() throws Exception {
    try (YamuxPair pair =
        new YamuxPair(YamuxConfig.DEFAULT, init(ch -> ch.pipeline().addLast(new Echo())))) {
      Collector existing = new Collector();
      YamuxStreamChannel s = pair.open(existing);
      // Make sure the peer has accepted the stream before it goes away.
      s.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {1, 2, 3}));
      waitUntil(() -> existing.bytes.size() == 3);
      pair.serverSession.goAway();
      waitUntil(pair.clientSession::isClosing);
      ExecutionException e =
          assertThrows(
              ExecutionException.class,
              () -> pair.clientSession.openStream(new ChannelInboundHandlerAdapter()).get());
      assertInstanceOf(YamuxException.class, e.getCause());
      // The existing stream keeps working.
      s.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {4}));
      s.shutdownOutput();
      assertArrayEquals(new byte[] {1, 2, 3, 4}, existing.done.get(5, TimeUnit.SECONDS));
    }
  }

  @Test
  void pingMeasuresRoundTrip() throws Exception {
    try (YamuxPair pair = new YamuxPair(YamuxConfig.DEFAULT, init(ch -> {}))) {
      long rtt = pair.clientSession.ping().get(5, TimeUnit.SECONDS);
      assertTrue(rtt > 0);
      assertTrue(pair.serverSession.ping().get(5, TimeUnit.SECONDS) > 0);
    }
  }

  @Test
  void keepAliveKeepsAnAnsweringConnectionOpen() throws Exception {
    // The answer to a keep-alive ping is due within one interval: keep it long enough that a
    // loaded machine answers in time, and wait for several rounds.
    YamuxConfig keepAlive = YamuxConfig.DEFAULT.withKeepAliveInterval(Duration.ofMillis(300));
    try (YamuxPair pair = new YamuxPair(keepAlive, keepAlive, init(ch -> {}), init(ch -> {}))) {
      Thread.sleep(1500);
      assertTrue(pair.client.isActive());
    }
  }

  @Test
  void serverOpensEvenStreams() throws Exception {
    Collector atClient = new Collector();
    try (YamuxPair pair =
        new YamuxPair(
            YamuxConfig.DEFAULT,
            YamuxConfig.DEFAULT,
            init(ch -> {}),
            init(ch -> ch.pipeline().addLast(atClient)))) {
      YamuxStreamChannel s =
          pair.serverSession
              .openStream(new ChannelInboundHandlerAdapter())
              .get(5, TimeUnit.SECONDS);
      assertEquals(0, s.streamId() & 1);
      s.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {9}));
      s.shutdownOutput();
      assertArrayEquals(new byte[] {9}, atClient.done.get(5, TimeUnit.SECONDS));
    }
  }

  static long sendWindow(YamuxStreamChannel s) throws Exception {
    return s.eventLoop().submit(s::sendWindow).get(5, TimeUnit.SECONDS);
  }

  static CompletableFuture<Void> toCompletable(io.netty.util.concurrent.Future<?> f) {
    CompletableFuture<Void> c = new CompletableFuture<>();
    f.addListener(
        x -> {
          if (x.isSuccess()) {
            c.complete(null);
          } else {
            c.completeExceptionally(x.cause());
          }
        });
    return c;
  }

  interface Check {
    boolean ok() throws Exception;
  }

  static void waitUntil(Check check) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!check.ok()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 10 s");
      }
      Thread.sleep(5);
    }
  }
}
