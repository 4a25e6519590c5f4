package io.phase.p2p.host;

/**
 * Sets up a negotiated stream, on its event loop: typically adds handlers to {@code
 * stream.channel().pipeline()}. Bytes that arrived right after the negotiation reach those handlers
 * once this returns. Must not block.
 */
@FunctionalInterface
public interface StreamHandler {
  /** Installs the protocol's handlers on the stream. */
  void handle(Stream stream);
}
