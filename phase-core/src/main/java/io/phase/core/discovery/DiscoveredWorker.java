package io.phase.core.discovery;

import io.phase.p2p.multiaddr.Multiaddr;
import io.phase.p2p.peer.PeerId;
import java.util.List;
import java.util.Objects;

/**
 * A worker found on the DHT whose details were verified: signed by {@code peer}'s key and fresh.
 *
 * @param peer the worker
 * @param addresses where it can be dialed (from the provider records and the connection used)
 * @param info its verified details
 */
public record DiscoveredWorker(PeerId peer, List<Multiaddr> addresses, WorkerInfo info) {
  /** Checks that the details are the peer's own. */
  public DiscoveredWorker {
    Objects.requireNonNull(peer, "peer");
    addresses = List.copyOf(addresses);
    if (!info.peer().equals(peer)) {
      throw new IllegalArgumentException("details of " + info.peer() + " given for " + peer);
    }
  }
}
