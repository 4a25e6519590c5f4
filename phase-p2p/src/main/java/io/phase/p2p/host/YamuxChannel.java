package io.phase.p2p.host;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.phase.p2p.yamux.YamuxStreamChannel;

/** A yamux stream as a {@link MuxedChannel}. */
record YamuxChannel(YamuxStreamChannel stream) implements MuxedChannel {
  @Override
  public Channel channel() {
    return stream;
  }

  @Override
  public long id() {
    return Integer.toUnsignedLong(stream.streamId());
  }

  @Override
  public ChannelFuture closeWrite() {
    return stream.shutdownOutput();
  }

  @Override
  public ChannelFuture reset() {
    return stream.reset();
  }

  @Override
  public boolean isResetByPeer() {
    return stream.isResetByPeer();
  }
}
