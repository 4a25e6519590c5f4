package io.phase.p2p.host;

/** Which side opened a connection. */
public enum Direction {
  /** The remote peer dialed us. */
  INBOUND,
  /** We dialed the remote peer. */
  OUTBOUND
}
