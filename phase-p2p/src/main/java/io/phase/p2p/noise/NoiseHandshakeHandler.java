package io.phase.p2p.noise;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.phase.p2p.crypto.Ed25519PrivateKey;
import io.phase.p2p.netty.TimedNegotiationDecoder;
import io.phase.p2p.peer.PeerId;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the libp2p Noise XX handshake over 2-byte length-prefixed messages, authenticates the peer
 * from its payload and, on success, replaces itself with the transport codec. The dialer may pin
 * the expected PeerId: a different peer fails the handshake before the dialer reveals its own
 * identity.
 */
public final class NoiseHandshakeHandler extends TimedNegotiationDecoder {
  /** The multistream-select protocol id of libp2p Noise. */
  public static final String PROTOCOL_ID = "/noise";

  /** Name of the decoder this handler installs. */
  public static final String DECODER_NAME = "noise-decoder";

  /** Name of the encoder this handler installs. */
  public static final String ENCODER_NAME = "noise-encoder";

  private static final Logger LOG = LoggerFactory.getLogger(NoiseHandshakeHandler.class);
  private static final int MAX_MESSAGE = 65535;

  private final boolean initiator;
  private final NoiseStaticKey staticKey;
  private final PeerId expectedPeer;
  private final NoiseListener listener;
  private final HandshakeState handshake;
  private boolean finished;

  /**
   * A handler with a static key of its own, generated and signed with {@code identity} for this
   * handshake only; hosts share one {@link NoiseStaticKey} instead.
   */
  public NoiseHandshakeHandler(
      boolean initiator,
      Ed25519PrivateKey identity,
      PeerId expectedPeer,
      Duration timeout,
      NoiseListener listener) {
    this(initiator, NoiseStaticKey.generate(identity), expectedPeer, timeout, listener);
  }

  /**
   * @param initiator true on the dialing side
   * @param staticKey this host's Noise static key and its signed payload
   * @param expectedPeer the PeerId the dialer expects, or {@code null} to accept any
   * @param timeout how long the handshake may take
   * @param listener told of the outcome
   */
  public NoiseHandshakeHandler(
      boolean initiator,
      NoiseStaticKey staticKey,
      PeerId expectedPeer,
      Duration timeout,
      NoiseListener listener) {
    super(timeout);
    this.initiator = initiator;
    this.staticKey = staticKey;
    this.expectedPeer = expectedPeer;
    this.listener = listener;
    this.handshake = new HandshakeState(initiator, staticKey.keyPair(), new byte[0]);
  }

  @Override
  protected void start(ChannelHandlerContext ctx) {
    if (initiator) {
      try {
        send(ctx, handshake.writeMessage(new byte[0]));
      } catch (NoiseException e) {
        fail(ctx, e);
      }
    }
  }

  @Override
  protected void timedOut(ChannelHandlerContext ctx) {
    fail(ctx, new NoiseException("handshake timed out after " + timeout().toMillis() + " ms"));
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (finished) {
      in.skipBytes(in.readableBytes());
      return;
    }
    try {
      while (!finished && in.readableBytes() >= 2) {
        int length = in.getUnsignedShort(in.readerIndex());
        if (in.readableBytes() < 2 + length) {
          return;
        }
        in.skipBytes(2);
        byte[] message = new byte[length];
        in.readBytes(message);
        onMessage(ctx, message);
      }
    } catch (NoiseException e) {
      in.skipBytes(in.readableBytes());
      fail(ctx, e);
    }
  }

  private void onMessage(ChannelHandlerContext ctx, byte[] message) throws NoiseException {
    if (handshake.isMyTurn()) {
      throw new NoiseException("peer sent a handshake message out of turn");
    }
    byte[] payload = handshake.readMessage(message);
    if (initiator) {
      // Message 2: the responder's identity.
      PeerId remote = NoisePayload.verify(payload, handshake.remoteStaticKey());
      if (expectedPeer != null && !expectedPeer.equals(remote)) {
        throw new PeerIdMismatchException(expectedPeer, remote);
      }
      send(ctx, handshake.writeMessage(staticKey.payload()));
      succeed(ctx, remote);
    } else if (!handshake.isComplete()) {
      // Message 1 carries no payload in libp2p; answer with ours.
      send(ctx, handshake.writeMessage(staticKey.payload()));
    } else {
      succeed(ctx, NoisePayload.verify(payload, handshake.remoteStaticKey()));
    }
  }

  private static void send(ChannelHandlerContext ctx, byte[] message) throws NoiseException {
    if (message.length > MAX_MESSAGE) {
      throw new NoiseException("handshake message too long: " + message.length);
    }
    ByteBuf buf = ctx.alloc().buffer(2 + message.length);
    buf.writeShort(message.length).writeBytes(message);
    ctx.writeAndFlush(buf).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
  }

  private void succeed(ChannelHandlerContext ctx, PeerId remote) {
    finished = true;
    cancelTimeout();
    CipherState[] ciphers = handshake.split();
    ctx.pipeline()
        .addAfter(ctx.name(), DECODER_NAME, new NoiseFrameDecoder(ciphers[1]))
        .addAfter(DECODER_NAME, ENCODER_NAME, new NoiseFrameEncoder(ciphers[0]));
    LOG.debug("noise_secured conn={} peer={}", ctx.channel().id(), remote);
    listener.secured(ctx, remote);
    if (!ctx.isRemoved()) {
      ctx.pipeline().remove(this);
    }
  }

  private void fail(ChannelHandlerContext ctx, NoiseException cause) {
    if (finished) {
      return;
    }
    finished = true;
    cancelTimeout();
    LOG.info(
        "noise_handshake_failed conn={} remote={} initiator={} reason={}",
        ctx.channel().id(),
        ctx.channel().remoteAddress(),
        initiator,
        cause.getMessage());
    try {
      listener.failed(ctx, cause);
    } finally {
      ctx.close();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    fail(ctx, new NoiseException("connection closed during the handshake"));
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    fail(ctx, new NoiseException("connection failed during the handshake: " + cause, cause));
  }
}
