package io.phase.core.client;

import io.phase.p2p.multiaddr.Multiaddr;
import io.phase.p2p.peer.PeerId;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * A worker a job may go to.
 *
 * @param addresses where to dial it (with or without {@code /p2p/})
 * @param load advertised load (running + queued jobs), if the directory knows it
 */
public record WorkerCandidate(PeerId peer, List<Multiaddr> addresses, OptionalInt load) {
  public WorkerCandidate {
    Objects.requireNonNull(peer, "peer");
    addresses = List.copyOf(addresses);
    if (addresses.isEmpty()) {
      throw new IllegalArgumentException("a candidate needs at least one address");
    }
    Objects.requireNonNull(load, "load");
  }

  /** A candidate with no advertised load. */
  public static WorkerCandidate of(PeerId peer, List<Multiaddr> addresses) {
    return new WorkerCandidate(peer, addresses, OptionalInt.empty());
  }
}
