package io.phase.p2p.kad.routing;

import io.phase.p2p.multiaddr.Multiaddr;
import io.phase.p2p.peer.PeerId;
import java.util.List;
import java.util.Objects;

/** A peer and the addresses it may be dialed on (without {@code /p2p/} suffixes). Immutable. */
public record PeerInfo(PeerId id, List<Multiaddr> addrs) {

  /** Copies the address list. */
  public PeerInfo {
    Objects.requireNonNull(id, "id");
    addrs = List.copyOf(addrs);
  }

  /** A peer with no known addresses. */
  public static PeerInfo of(PeerId id) {
    return new PeerInfo(id, List.of());
  }

  /** The keyspace point of this peer. */
  public KadKey kadKey() {
    return KadKey.ofPeer(id);
  }
}
