package io.phase.p2p.yamux;

import java.time.Duration;

/**
 * Limits and tuning of one yamux session.
 *
 * @param receiveWindow initial per-stream receive window in bytes (at least 256 KiB, the spec's
 *     initial window; a larger value is announced to the peer when a stream opens)
 * @param maxReceiveWindow largest per-stream receive window that auto-tuning may grow a stream to
 *     (at least {@code receiveWindow}; equal to it disables growth)
 * @param receiveWindowBudget bytes of growth beyond the initial windows that all streams of the
 *     session may hold together (0 disables growth); a closed stream returns its share
 * @param maxStreams most streams open at once on a connection; further inbound streams are reset
 *     and further outbound opens fail
 * @param maxFrameLength largest data frame payload accepted from the peer
 * @param keepAliveInterval interval between keep-alive pings, {@link Duration#ZERO} to disable; a
 *     ping unanswered for one interval closes the connection
 */
public record YamuxConfig(
    int receiveWindow,
    int maxReceiveWindow,
    int receiveWindowBudget,
    int maxStreams,
    int maxFrameLength,
    Duration keepAliveInterval) {
  /** Upper bound of the initial receive window. */
  public static final int MAX_INITIAL_WINDOW = 64 * 1024 * 1024;

  /** Upper bound of the grown receive window and of the growth budget. */
  public static final int MAX_GROWN_WINDOW = 1024 * 1024 * 1024;

  /**
   * Defaults: 256 KiB initial window growing up to 16 MiB per stream within 32 MiB per session, 256
   * streams, 1 MiB frames, no keep-alive.
   */
  public static final YamuxConfig DEFAULT =
      new YamuxConfig(
          YamuxFrames.INITIAL_WINDOW,
          16 * 1024 * 1024,
          32 * 1024 * 1024,
          256,
          1024 * 1024,
          Duration.ZERO);

  /** Validates the values. */
  public YamuxConfig {
    if (receiveWindow < YamuxFrames.INITIAL_WINDOW || receiveWindow > MAX_INITIAL_WINDOW) {
      throw new IllegalArgumentException("receiveWindow must be in [256 KiB, 64 MiB]");
    }
    if (maxReceiveWindow < receiveWindow || maxReceiveWindow > MAX_GROWN_WINDOW) {
      throw new IllegalArgumentException("maxReceiveWindow must be in [receiveWindow, 1 GiB]");
    }
    if (receiveWindowBudget < 0 || receiveWindowBudget > MAX_GROWN_WINDOW) {
      throw new IllegalArgumentException("receiveWindowBudget must be in [0, 1 GiB]");
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

  /** Whether stream receive windows may grow beyond {@link #receiveWindow()}. */
  public boolean autoTunesWindows() {
    return maxReceiveWindow > receiveWindow && receiveWindowBudget > 0;
  }

  /** Returns a copy with a different stream limit. */
  public YamuxConfig withMaxStreams(int value) {
    return new YamuxConfig(
        receiveWindow,
        maxReceiveWindow,
        receiveWindowBudget,
        value,
        maxFrameLength,
        keepAliveInterval);
  }

  /**
   * Returns a copy with a different initial receive window; the maximum is raised to it if lower.
   */
  public YamuxConfig withReceiveWindow(int value) {
    return new YamuxConfig(
        value,
        Math.max(value, maxReceiveWindow),
        receiveWindowBudget,
        maxStreams,
        maxFrameLength,
        keepAliveInterval);
  }

  /** Returns a copy with a different window maximum and growth budget. */
  public YamuxConfig withWindowGrowth(int maxWindow, int budget) {
    return new YamuxConfig(
        receiveWindow, maxWindow, budget, maxStreams, maxFrameLength, keepAliveInterval);
  }

  /** Returns a copy with a different keep-alive interval. */
  public YamuxConfig withKeepAliveInterval(Duration value) {
    return new YamuxConfig(
        receiveWindow, maxReceiveWindow, receiveWindowBudget, maxStreams, maxFrameLength, value);
  }
}
