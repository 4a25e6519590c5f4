package io.phase.p2p.mss;

import io.netty.channel.ChannelHandlerContext;
import java.time.Duration;
import java.util.List;

/**
 * Dialer side of multistream-select: proposes protocols in order until the responder accepts one.
 * The header and the first proposal are sent together (optimistic pipelining).
 */
public final class MultistreamInitiator extends MultistreamHandler {
  private final List<String> protocols;
  private int next;

  /**
   * @param protocols protocol ids to try, most preferred first (1..32 entries)
   * @param timeout how long the whole negotiation may take
   * @param listener told of the outcome
   */
  public MultistreamInitiator(
      List<String> protocols, Duration timeout, MultistreamListener listener) {
    super(timeout, listener);
    if (protocols.isEmpty() || protocols.size() > MAX_PROPOSALS) {
      throw new IllegalArgumentException(
          "between 1 and " + MAX_PROPOSALS + " protocols required, got " + protocols.size());
    }
    protocols.forEach(MultistreamCodec::validateProtocolId);
    this.protocols = List.copyOf(protocols);
  }

  @Override
  protected void start(ChannelHandlerContext ctx) {
    send(ctx, MultistreamCodec.PROTOCOL_ID, protocols.get(next));
  }

  @Override
  String onMessage(ChannelHandlerContext ctx, String message) throws MultistreamException {
    String proposed = protocols.get(next);
    if (message.equals(proposed)) {
      return proposed;
    }
    if (!MultistreamCodec.NA.equals(message)) {
      throw new MultistreamException(
          "unexpected reply " + quote(message) + " to proposal " + quote(proposed));
    }
    next++;
    if (next >= protocols.size()) {
      throw new MultistreamException("peer supports none of " + protocols);
    }
    send(ctx, protocols.get(next));
    return null;
  }
}
