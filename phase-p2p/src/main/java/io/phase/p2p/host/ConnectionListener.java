package io.phase.p2p.host;

/** Hears about connections being established and closed; called on the connection's event loop. */
public interface ConnectionListener {
  /** A connection finished its upgrade and is usable. */
  default void connectionOpened(Connection connection) {}

  /** A previously opened connection closed. */
  default void connectionClosed(Connection connection) {}
}
