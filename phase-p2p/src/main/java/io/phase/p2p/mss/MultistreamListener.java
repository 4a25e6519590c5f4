package io.phase.p2p.mss;

import io.netty.channel.ChannelHandlerContext;

/** Receives the outcome of one multistream-select negotiation, on the channel's event loop. */
public interface MultistreamListener {
  /**
   * A protocol was agreed. Called before the negotiating handler leaves the pipeline: install the
   * protocol's handlers after {@code ctx.name()} here, and any bytes that arrived after the
   * negotiation are passed on to them.
   */
  void selected(ChannelHandlerContext ctx, String protocolId);

  /** The negotiation failed; the channel is closed right after this returns. */
  void failed(ChannelHandlerContext ctx, MultistreamException cause);
}
