package io.phase.p2p.mss;

import io.netty.channel.ChannelHandlerContext;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * Listener side of multistream-select: answers each proposal with an echo (accept) or {@code na},
 * for at most 32 proposals.
 */
public final class MultistreamResponder extends MultistreamHandler {
  private final Predicate<String> supported;
  private int proposals;

  /**
   * @param supported says whether a proposed protocol id is served here
   * @param timeout how long the whole negotiation may take
   * @param listener told of the outcome
   */
  public MultistreamResponder(
      Predicate<String> supported, Duration timeout, MultistreamListener listener) {
    super(timeout, listener);
    this.supported = supported;
  }

  @Override
  protected void start(ChannelHandlerContext ctx) {
    send(ctx, MultistreamCodec.PROTOCOL_ID);
  }

  @Override
  String onMessage(ChannelHandlerContext ctx, String message) throws MultistreamException {
    if (++proposals > MAX_PROPOSALS) {
      throw new MultistreamException("more than " + MAX_PROPOSALS + " proposals");
    }
    if (!MultistreamCodec.NA.equals(message) && supported.test(message)) {
      send(ctx, message);
      return message;
    }
    send(ctx, MultistreamCodec.NA);
    return null;
  }
}
