package io.phase.p2p.host;

import io.netty.util.AttributeKey;
import io.phase.p2p.yamux.YamuxStreamChannel;

/**
 * A negotiated stream: its channel, the agreed protocol id and the connection it runs on.
 *
 * @param channel the yamux stream as a Netty channel; add protocol handlers to its pipeline
 * @param protocol the protocol id agreed by multistream-select
 * @param connection the connection carrying the stream
 */
public record Stream(YamuxStreamChannel channel, String protocol, Connection connection) {

  /** Set on a stream channel once its protocol is agreed (it carries a protocol's exchange). */
  static final AttributeKey<String> NEGOTIATED = AttributeKey.valueOf("phase.negotiated");

  public Stream {
    channel.attr(NEGOTIATED).set(protocol);
  }
}
