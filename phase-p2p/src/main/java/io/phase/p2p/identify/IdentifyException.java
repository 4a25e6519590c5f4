package io.phase.p2p.identify;

import java.io.IOException;

/**
 * An Identify exchange failed: malformed or oversized message, wrong key, timeout, closed stream.
 */
public final class IdentifyException extends IOException {
  private static final long serialVersionUID = 1L;

  /** An exception with this message. */
  public IdentifyException(String message) {
    super(message);
  }
}
