package io.phase.p2p.kad;

/** Whether a node serves the DHT or only uses it. */
public enum KadMode {
  /** Answers {@code /ipfs/kad/1.0.0} requests and can enter other peers' routing tables. */
  SERVER,
  /**
   * Only sends requests: does not serve {@code /ipfs/kad/1.0.0}, so servers' liveness probes fail
   * and it never enters their routing tables (short-lived or unreachable nodes, e.g. a CLI query).
   */
  CLIENT
}
