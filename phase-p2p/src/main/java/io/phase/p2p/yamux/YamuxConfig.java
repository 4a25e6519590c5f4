package io.phase.p2p.yamux;

import java.time.Duration;

/**
 * Limits and tuning of one yamux session.
 *
 * @param receiveWindow per-stream receive window in bytes (at least 256 KiB, the spec's initial
 *     window; a larger value is announced to the peer when a stream opens)
 * @param maxStreams most streams open at once on a connection; further inbound streams are reset
 *     and further outbound opens fail
 * @param maxFrameLength largest data frame payload accepted from the peer
 * @param keepAliveInterval interval between keep-alive pings, {@link Duration#ZERO} to disable; a
 *     ping unanswered for one interval closes the connection
 */
public record YamuxConfig(
    int receiveWindow, int maxStreams, int maxFrameLength, Duration keepAliveInterval) {
  /** Defaults: 256 KiB window, 256 streams, 1 MiB frames, no keep-alive. */
  public static final YamuxConfig DEFAULT =
      new YamuxConfig(YamuxFrames.INITIAL_WINDOW, 256, 1024 * 1024, Duration.ZERO);

  /** Validates the values. */
  public YamuxConfig {
    if (receiveWindow < YamuxFrames.INITIAL_WINDOW || receiveWindow > 64 * 1024 * 1024) {
      throw new IllegalArgumentException("receiveWindow must be in [256 KiB, 64 MiB]");
    }
    if (maxStreams < 1 || maxStreams > 65536) {
      throw new IllegalArgumentException("maxStreams must be in [1, 65536]");
    }
    if (maxFrameLength < 1024 || maxFrameLength > 64 * 1024 * 1024) {
      throw new IllegalArgumentException("maxFrameLength must be in [1 KiB, 64 MiB]");
    }
    if (keepAliveInterval == null || keepAliveInterval.isNegative()) {
      throw new IllegalArgumentException("keepAliveInterval must be zero or positive");
    }
  }

  /** Returns a copy with a different stream limit. */
  public YamuxConfig withMaxStreams(int value) {
    return new YamuxConfig(receiveWindow, value, maxFrameLength, keepAliveInterval);
  }

  /** Returns a copy with a different receive window. */
  public YamuxConfig withReceiveWindow(int value) {
    return new YamuxConfig(value, maxStreams, maxFrameLength, keepAliveInterval);
  }

  /** Returns a copy with a different keep-alive interval. */
  public YamuxConfig withKeepAliveInterval(Duration value) {
    return new YamuxConfig(receiveWindow, maxStreams, maxFrameLength, value);
  }
}
