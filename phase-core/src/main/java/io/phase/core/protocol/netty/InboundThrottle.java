package io.phase.core.protocol.netty;

import io.netty.channel.Channel;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Hands inbound messages from the event loop to a slower executor without letting them pile up: the
 * bytes of messages not yet handled are counted, reading from the channel stops (auto-read off)
 * once they pass the high mark, and resumes when handling brings them down to the low mark. Netty's
 * own buffers and the muxer's receive window then push back on the sender. Thread-safe.
 */
public final class InboundThrottle {
  /** Bytes waiting for the executor above which reading stops. */
  public static final long DEFAULT_HIGH = 1 << 20;

  /** Bytes waiting for the executor at or below which reading resumes. */
  public static final long DEFAULT_LOW = 256 * 1024;

  private final Supplier<Channel> channel;
  private final long high;
  private final long low;
  private final AtomicLong waiting = new AtomicLong();

  /**
   * A throttle with the default marks.
   *
   * @param channel the channel to pause; may supply {@code null} while there is none
   */
  public InboundThrottle(Supplier<Channel> channel) {
    this(channel, DEFAULT_HIGH, DEFAULT_LOW);
  }

  /** A throttle that stops reading above {@code high} bytes and resumes at {@code low}. */
  public InboundThrottle(Supplier<Channel> channel, long high, long low) {
    if (low < 0 || high < low) {
      throw new IllegalArgumentException("need 0 <= low <= high, got " + low + ", " + high);
    }
    this.channel = Objects.requireNonNull(channel, "channel");
    this.high = high;
    this.low = low;
  }

  /**
   * Runs {@code task} on {@code executor}, counting {@code bytes} as waiting until it has run.
   * Called on the event loop for each inbound message.
   */
  public void execute(Executor executor, long bytes, Runnable task) {
    if (waiting.addAndGet(bytes) > high) {
      Channel ch = channel.get();
      if (ch != null) {
        ch.config().setAutoRead(false);
      }
    }
    executor.execute(
        () -> {
          try {
            task.run();
          } finally {
            handled(bytes);
          }
        });
  }

  /** Bytes handed over and not yet handled. */
  public long waiting() {
    return waiting.get();
  }

  private void handled(long bytes) {
    if (waiting.addAndGet(-bytes) <= low) {
      Channel ch = channel.get();
      if (ch != null && !ch.config().isAutoRead()) {
        ch.config().setAutoRead(true);
      }
    }
  }
}
