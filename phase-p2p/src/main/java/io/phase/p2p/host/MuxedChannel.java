package io.phase.p2p.host;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;

/**
 * What {@link Stream} needs of the muxer that carries a stream: its channel, its id, half-close and
 * reset. One adapter per muxer ({@link YamuxChannel}); protocols never see it.
 */
interface MuxedChannel {
  Channel channel();

  long id();

  /** Ends our side (FIN); the peer's data still arrives. */
  ChannelFuture closeWrite();

  /** Aborts both directions at once (RST). */
  ChannelFuture reset();

  /** True if the peer aborted the stream. */
  boolean isResetByPeer();
}
