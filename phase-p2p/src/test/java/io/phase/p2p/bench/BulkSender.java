package io.phase.p2p.bench;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;

/**
 * Writes a fixed number of pattern bytes to a channel, only while it is writable. Call {@link
 * #pump} when the handler starts and on every writability change; it runs {@code onDone} once,
 * after the last byte was written (not necessarily sent). Write failures close the channel.
 */
final class BulkSender {
  private long remaining;
  private final Runnable onDone;
  private boolean done;

  BulkSender(long bytes, Runnable onDone) {
    this.remaining = bytes;
    this.onDone = onDone;
  }

  void pump(ChannelHandlerContext ctx) {
    boolean wrote = false;
    while (remaining > 0 && ctx.channel().isWritable()) {
      int n = (int) Math.min(remaining, BenchProtocols.CHUNK_SIZE);
      ctx.write(BenchProtocols.PATTERN.retainedSlice(0, n))
          .addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
      remaining -= n;
      wrote = true;
    }
    if (wrote) {
      ctx.flush();
    }
    if (remaining == 0 && !done) {
      done = true;
      onDone.run();
    }
  }
}
