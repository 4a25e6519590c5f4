package io.phase.p2p.mss;

/** A multistream-select negotiation failed: bad input, no common protocol, or timeout. */
public final class MultistreamException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message saying what went wrong. */
  public MultistreamException(String message) {
    super(message);
  }
}
