package io.phase.core.protocol.netty;

import io.phase.core.protocol.ProtocolException;
import io.phase.core.protocol.RunMessage;

/**
 * What a {@link RunFrameHandler} reports about one job-run stream, on the stream's event loop.
 * Implementations must not block.
 */
public interface RunStreamListener {
  /** A well-framed message from the peer (order is the session's to check). */
  void onMessage(RunMessage message);

  /** The peer sent bytes that are not a valid frame; no more messages follow. */
  void onProtocolError(ProtocolException failure);

  /** The peer half-closed its side cleanly, at a frame boundary. */
  void onInputEnded();

  /** The stream can take more writes (again). */
  void onWritable();

  /** The stream is closed (reset, connection lost, or closed by either side). */
  void onClosed();
}
