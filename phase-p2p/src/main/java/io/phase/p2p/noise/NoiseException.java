package io.phase.p2p.noise;

import java.io.IOException;

/** A Noise handshake or transport failure: bad input, failed authentication, or timeout. */
public class NoiseException extends IOException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message saying what went wrong. */
  public NoiseException(String message) {
    super(message);
  }

  /** Creates an exception with a message and a cause. */
  public NoiseException(String message, Throwable cause) {
    super(message, cause);
  }
}
