package io.phase.p2p.yamux;

import java.io.IOException;

/** A yamux protocol violation or session failure. */
public final class YamuxException extends IOException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message saying what went wrong. */
  public YamuxException(String message) {
    super(message);
  }
}
