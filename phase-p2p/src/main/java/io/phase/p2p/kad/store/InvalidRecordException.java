package io.phase.p2p.kad.store;

/** A DHT value record that its namespace's validator (or a store limit) refuses. */
public final class InvalidRecordException extends Exception {

  private static final long serialVersionUID = 1L;

  /** Creates the exception with a human-readable reason. */
  public InvalidRecordException(String message) {
    super(message);
  }
}
