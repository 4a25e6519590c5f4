package io.phase.p2p.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.TimeUnit;

/**
 * The harness for fuzzing a Netty handler: an {@link EmbeddedChannel} whose allocator is a {@link
 * TrackingAllocator}, fed hostile bytes in fuzzer-chosen chunks. Everything runs on the calling
 * thread, so a fuzz iteration is deterministic. Any exception that reaches the end of the pipeline
 * is rethrown by {@link #feed} / {@link #checkException()}: a handler must handle its own input
 * errors.
 */
final class FuzzChannel implements AutoCloseable {
  private final TrackingAllocator alloc = new TrackingAllocator();
  private final EmbeddedChannel channel = new EmbeddedChannel();

  /** Creates the channel and adds {@code handlers} (after setting the tracking allocator). */
  FuzzChannel(ChannelHandler... handlers) {
    channel.config().setAllocator(alloc);
    channel.pipeline().addLast(handlers);
  }

  EmbeddedChannel channel() {
    return channel;
  }

  TrackingAllocator alloc() {
    return alloc;
  }

  boolean isOpen() {
    return channel.isOpen();
  }

  /** Writes {@code data} inbound as one read (one {@code channelRead} + readComplete). */
  void feed(byte[] data) {
    feed(data, 0, data.length);
  }

  void feed(byte[] data, int offset, int length) {
    if (!channel.isOpen() || length == 0) {
      return;
    }
    ByteBuf buf = alloc.copyOf(data, offset, length);
    channel.writeInbound(buf);
    channel.runPendingTasks();
    channel.checkException();
  }

  /**
   * Feeds {@code data} in chunks whose sizes the fuzzer picks from {@code sizes}, so split headers
   * and messages spanning reads are exercised. Stops early if the channel closes.
   */
  void feedChunked(byte[] data, FuzzedDataProvider sizes) {
    int offset = 0;
    while (offset < data.length && channel.isOpen()) {
      int rest = data.length - offset;
      // Once the fuzzer's data runs out, feed the rest at once rather than byte by byte.
      int n = sizes.remainingBytes() == 0 ? rest : Math.min(rest, sizes.consumeInt(1, rest));
      feed(data, offset, n);
      offset += n;
    }
  }

  /** Moves the embedded clock forward and runs due timers (timeouts, keep-alives). */
  void advance(long amount, TimeUnit unit) {
    channel.advanceTimeBy(amount, unit);
    channel.runScheduledPendingTasks();
    channel.checkException();
  }

  void checkException() {
    channel.checkException();
  }

  /** Drains what was written outbound since the last call, as bytes. */
  byte[] outbound() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object msg; (msg = channel.readOutbound()) != null; ) {
      if (msg instanceof ByteBuf buf) {
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        out.writeBytes(bytes);
      }
      io.netty.util.ReferenceCountUtil.release(msg);
    }
    return out.toByteArray();
  }

  /** Drains and returns inbound messages that passed the whole pipeline, as bytes. */
  byte[] inboundPassedThrough() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object msg; (msg = channel.readInbound()) != null; ) {
      if (msg instanceof ByteBuf buf) {
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        out.writeBytes(bytes);
      }
      io.netty.util.ReferenceCountUtil.release(msg);
    }
    return out.toByteArray();
  }

  /**
   * Closes the channel, drains everything and checks that every buffer was released. Call at the
   * end of each iteration (after the target's own assertions).
   */
  void closeAndCheckLeaks() {
    channel.close();
    channel.runPendingTasks();
    outbound();
    channel.finishAndReleaseAll();
    alloc.assertAllReleased();
  }

  @Override
  public void close() {
    if (channel.isOpen() || channel.isRegistered()) {
      channel.finishAndReleaseAll();
    }
  }
}
