package io.phase.p2p.noise;

import io.netty.channel.ChannelHandlerContext;
import io.phase.p2p.peer.PeerId;

/** Receives the outcome of a Noise handshake, on the channel's event loop. */
public interface NoiseListener {
  /**
   * The connection is secured and the peer authenticated. The transport codec is already in the
   * pipeline right after the handshake handler; add the next layers with {@code addLast}. Bytes
   * that followed the handshake reach them once this returns.
   */
  void secured(ChannelHandlerContext ctx, PeerId remotePeer);

  /** The handshake failed; the channel is closed right after this returns. */
  void failed(ChannelHandlerContext ctx, NoiseException cause);
}
