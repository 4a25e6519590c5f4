package io.phase.p2p.kad.wire;

/** A kad message that is malformed or breaks a size/count limit. */
public final class KadMessageException extends Exception {

  private static final long serialVersionUID = 1L;

  /** Creates the exception with a human-readable reason. */
  public KadMessageException(String message) {
    super(message);
  }

  /** Creates the exception with a reason and the underlying cause. */
  public KadMessageException(String message, Throwable cause) {
    super(message, cause);
  }
}
