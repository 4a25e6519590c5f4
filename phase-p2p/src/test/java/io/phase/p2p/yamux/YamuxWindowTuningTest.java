package io.phase.p2p.yamux;

import static io.phase.p2p.yamux.YamuxStreamTest.init;
import static io.phase.p2p.yamux.YamuxStreamTest.sendWindow;
import static io.phase.p2p.yamux.YamuxStreamTest.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Receive-window auto-tuning over real yamux sessions on loopback TCP. Growth needs the application
 * to consume half a window within 4 ms (4 round trips at the 1 ms floor) at least once in a
 * multi-megabyte transfer, which any machine able to run the suite does.
 */
class YamuxWindowTuningTest {
  private static final int INITIAL = YamuxFrames.INITIAL_WINDOW;
  private static final int MIB = 1024 * 1024;

  /** Counts and releases what it reads; stops auto-reading once {@code stopAfter} bytes arrived. */
  static final class Reader extends ChannelInboundHandlerAdapter {
    final AtomicLong received = new AtomicLong();
    final long stopAfter;

    Reader(long stopAfter) {
      this.stopAfter = stopAfter;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf buf = (ByteBuf) msg;
      if (received.addAndGet(buf.readableBytes()) >= stopAfter) {
        ctx.channel().config().setAutoRead(false);
      }
      buf.release();
    }
  }

  private final LinkedBlockingQueue<YamuxStreamChannel> accepted = new LinkedBlockingQueue<>();
  private final LinkedBlockingQueue<Reader> readers = new LinkedBlockingQueue<>();

  private YamuxPair pair(YamuxConfig serverConfig, long stopAfter) throws Exception {
    YamuxPair pair =
        new YamuxPair(
            serverConfig,
            init(
                ch -> {
                  Reader reader = new Reader(stopAfter);
                  ch.pipeline().addLast(reader);
                  readers.add(reader);
                  accepted.add((YamuxStreamChannel) ch);
                }));
    // Growth waits for a round-trip time: the session's start-up ping measures it.
    waitUntil(() -> onServer(pair, pair.serverSession::minRttNanos) > 0);
    return pair;
  }

  private static void send(YamuxStreamChannel stream, long bytes) {
    byte[] chunk = new byte[MIB];
    for (long sent = 0; sent < bytes; sent += chunk.length) {
      stream.write(Unpooled.wrappedBuffer(chunk));
    }
    stream.flush();
  }

  private static <T> T onServer(YamuxPair pair, Callable<T> task) throws Exception {
    return pair.serverConnection.eventLoop().submit(task).get(5, TimeUnit.SECONDS);
  }

  private static int window(YamuxPair pair, YamuxStreamChannel s) throws Exception {
    return onServer(pair, s::receiveWindowSize);
  }

  private static long growth(YamuxPair pair) throws Exception {
    return onServer(pair, pair.serverSession::receiveWindowGrowth);
  }

  @Test
  void fastReaderGrowsItsWindowUpToTheMaximum() throws Exception {
    YamuxConfig config = YamuxConfig.DEFAULT.withWindowGrowth(2 * MIB, 32 * MIB);
    try (YamuxPair pair = pair(config, Long.MAX_VALUE)) {
      YamuxStreamChannel stream = pair.open(new ChannelInboundHandlerAdapter());
      long total = 64L * MIB;
      send(stream, total);
      YamuxStreamChannel server = accepted.take();
      Reader reader = readers.take();
      waitUntil(() -> reader.received.get() == total);
      int window = window(pair, server);
      assertTrue(window > INITIAL, "window did not grow: " + window);
      assertTrue(window <= 2 * MIB, "window beyond the maximum: " + window);
      assertEquals(window - INITIAL, growth(pair));
      // Doubling from the initial window: always a power-of-two multiple of it.
      assertEquals(0, window % INITIAL);
      assertEquals(1, Integer.bitCount(window / INITIAL));
    }
  }

  @Test
  void readerThatDoesNotReadKeepsTheInitialWindow() throws Exception {
    try (YamuxPair pair = pair(YamuxConfig.DEFAULT, 0)) {
      YamuxStreamChannel stream = pair.open(new ChannelInboundHandlerAdapter());
      // The reader stops after its first delivery: one byte, then nothing more is read.
      stream.writeAndFlush(Unpooled.wrappedBuffer(new byte[1]));
      YamuxStreamChannel s = accepted.take();
      Reader reader = readers.take();
      waitUntil(() -> reader.received.get() == 1);
      send(stream, 8L * MIB);
      // The sender gets exactly one window ahead, never more.
      waitUntil(() -> sendWindow(stream) == 0);
      Thread.sleep(200);
      assertEquals(0, sendWindow(stream));
      assertEquals(INITIAL, window(pair, s));
      assertEquals(0L, onServer(pair, s::receiveWindow));
      assertEquals(INITIAL - 1L, onServer(pair, s::bufferedBytes));
      assertEquals(0, growth(pair));
    }
  }

  @Test
  void grownWindowStillBoundsWhatAStoppedReaderBuffers() throws Exception {
    long stopAfter = 32L * MIB;
    try (YamuxPair pair = pair(YamuxConfig.DEFAULT, stopAfter)) {
      YamuxStreamChannel stream = pair.open(new ChannelInboundHandlerAdapter());
      send(stream, 96L * MIB);
      YamuxStreamChannel server = accepted.take();
      Reader reader = readers.take();
      // The sender has more than any window to send: it uses all the credit it was given.
      waitUntil(
          () -> reader.received.get() >= stopAfter && onServer(pair, server::receiveWindow) == 0);
      // The window reaches 0 when the last frame's header is read; its body may still be arriving
      // (a loaded machine splits it over several reads): let it land before measuring.
      waitUntilStable(() -> onServer(pair, server::bufferedBytes));
      int window = window(pair, server);
      long buffered = onServer(pair, server::bufferedBytes);
      assertTrue(window > INITIAL, "window did not grow: " + window);
      // Unread data is what the peer may send beyond the last credit: at most the window.
      assertTrue(buffered <= window, buffered + " bytes buffered for a window of " + window);
      Thread.sleep(200);
      assertEquals(0, sendWindow(stream));
      assertEquals(0L, onServer(pair, server::receiveWindow));
      assertEquals(buffered, onServer(pair, server::bufferedBytes));
      assertEquals(window, window(pair, server), "window grew without the application reading");
    }
  }

  @Test
  void exhaustedBudgetStopsGrowthAndAClosedStreamReturnsItsShare() throws Exception {
    YamuxConfig config = YamuxConfig.DEFAULT.withWindowGrowth(16 * MIB, INITIAL);
    try (YamuxPair pair = pair(config, Long.MAX_VALUE)) {
      YamuxStreamChannel first = pair.open(new ChannelInboundHandlerAdapter());
      send(first, 32L * MIB);
      YamuxStreamChannel firstServer = accepted.take();
      Reader firstReader = readers.take();
      waitUntil(() -> firstReader.received.get() == 32L * MIB);
      assertEquals(2 * INITIAL, window(pair, firstServer));
      assertEquals(INITIAL, growth(pair));

      YamuxStreamChannel second = pair.open(new ChannelInboundHandlerAdapter());
      send(second, 32L * MIB);
      YamuxStreamChannel secondServer = accepted.take();
      Reader secondReader = readers.take();
      waitUntil(() -> secondReader.received.get() == 32L * MIB);
      assertEquals(INITIAL, window(pair, secondServer), "grew beyond the connection's budget");
      assertEquals(INITIAL, growth(pair));

      firstServer.close().sync();
      assertEquals(0, growth(pair));
      send(second, 32L * MIB);
      waitUntil(() -> secondReader.received.get() == 64L * MIB);
      assertEquals(2 * INITIAL, window(pair, secondServer));
      assertEquals(INITIAL, growth(pair));
    }
  }

  @Test
  void hostPoolBoundsGrowthAcrossConnectionsAndClosedSessionsGiveItBack() throws Exception {
    YamuxConfig config = YamuxConfig.DEFAULT.withWindowGrowth(16 * MIB, 32 * MIB);
    WindowGrowthPool pool = new WindowGrowthPool(INITIAL);
    try (YamuxPair first = pooledPair(config, pool);
        YamuxPair second = pooledPair(config, pool)) {
      YamuxStreamChannel a = first.open(new ChannelInboundHandlerAdapter());
      send(a, 32L * MIB);
      YamuxStreamChannel aServer = accepted.take();
      Reader aReader = readers.take();
      waitUntil(() -> aReader.received.get() == 32L * MIB);
      assertEquals(2 * INITIAL, window(first, aServer));
      assertEquals(0, pool.available());

      YamuxStreamChannel b = second.open(new ChannelInboundHandlerAdapter());
      send(b, 32L * MIB);
      YamuxStreamChannel bServer = accepted.take();
      Reader bReader = readers.take();
      waitUntil(() -> bReader.received.get() == 32L * MIB);
      assertEquals(INITIAL, window(second, bServer), "grew beyond the host's pool");

      // The first connection goes away with its stream still open: its growth returns.
      first.client.close().sync();
      waitUntil(() -> pool.available() == INITIAL);
      send(b, 32L * MIB);
      waitUntil(() -> bReader.received.get() == 64L * MIB);
      assertEquals(2 * INITIAL, window(second, bServer));
      assertEquals(0, pool.available());
    }
    waitUntil(() -> pool.available() == INITIAL);
  }

  private YamuxPair pooledPair(YamuxConfig serverConfig, WindowGrowthPool pool) throws Exception {
    YamuxPair pair =
        new YamuxPair(
            serverConfig,
            YamuxConfig.DEFAULT,
            init(
                ch -> {
                  Reader reader = new Reader(Long.MAX_VALUE);
                  ch.pipeline().addLast(reader);
                  readers.add(reader);
                  accepted.add((YamuxStreamChannel) ch);
                }),
            init(ch -> {}),
            pool);
    waitUntil(() -> onServer(pair, pair.serverSession::minRttNanos) > 0);
    return pair;
  }

  @Test
  void growthIsOffWhenTheMaximumIsTheInitialWindow() throws Exception {
    YamuxConfig config = YamuxConfig.DEFAULT.withWindowGrowth(INITIAL, 32 * MIB);
    assertFalse(config.autoTunesWindows());
    try (YamuxPair pair =
        new YamuxPair(config, init(ch -> ch.pipeline().addLast(new Reader(Long.MAX_VALUE))))) {
      YamuxStreamChannel stream = pair.open(new ChannelInboundHandlerAdapter());
      send(stream, 16L * MIB);
      waitUntil(() -> onServer(pair, () -> pair.serverSession.streams().size()) == 1);
      YamuxStreamChannel server = onServer(pair, () -> pair.serverSession.streams().get(0));
      waitUntil(() -> sendWindow(stream) > 0 && onServer(pair, server::receiveWindow) == INITIAL);
      assertEquals(INITIAL, window(pair, server));
      assertEquals(-1L, onServer(pair, pair.serverSession::minRttNanos));
    }
  }

  /** Waits (bounded) until {@code value} reads the same twice, 100 ms apart. */
  private static void waitUntilStable(Callable<Long> value) throws Exception {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    long last = value.call();
    while (System.nanoTime() < deadline) {
      Thread.sleep(100);
      long now = value.call();
      if (now == last) {
        return;
      }
      last = now;
    }
    throw new AssertionError("value still changing after 10 s: " + last);
  }
}
