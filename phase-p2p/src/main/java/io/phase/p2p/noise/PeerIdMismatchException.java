package io.phase.p2p.noise;

import io.phase.p2p.peer.PeerId;

/** The dialed peer proved, in the Noise handshake, to be another peer than the one dialed. */
public final class PeerIdMismatchException extends NoiseException {
  private static final long serialVersionUID = 1L;

  private final transient PeerId expected;
  private final transient PeerId actual;

  /** The peer dialed was {@code expected} but answered as {@code actual}. */
  public PeerIdMismatchException(PeerId expected, PeerId actual) {
    super("peer id mismatch: dialed " + expected + " but the peer is " + actual);
    this.expected = expected;
    this.actual = actual;
  }

  /** The peer id that was dialed. */
  public PeerId expected() {
    return expected;
  }

  /** The peer id the remote proved in the handshake. */
  public PeerId actual() {
    return actual;
  }
}
