package io.phase.p2p.kad.routing;

import io.phase.p2p.multiaddr.Multiaddr;
import io.phase.p2p.peer.PeerId;
import java.time.Instant;
import java.util.List;

/**
 * A point-in-time copy of a {@link RoutingTable} for dashboards and diagnostics. Only non-empty
 * buckets are listed.
 *
 * @param local the local peer
 * @param size number of peers in all buckets
 * @param buckets non-empty buckets by increasing common-prefix length
 */
public record RoutingTableSnapshot(PeerId local, int size, List<Bucket> buckets) {

  /** Copies the list. */
  public RoutingTableSnapshot {
    buckets = List.copyOf(buckets);
  }

  /**
   * One bucket.
   *
   * @param commonPrefixLength shared prefix length of its peers with the local key
   * @param peers members, least recently seen first
   * @param replacements candidates waiting for a slot
   * @param livenessCheckPending whether the least recently seen member is being checked
   */
  public record Bucket(
      int commonPrefixLength,
      List<Peer> peers,
      List<PeerId> replacements,
      boolean livenessCheckPending) {

    /** Copies the lists. */
    public Bucket {
      peers = List.copyOf(peers);
      replacements = List.copyOf(replacements);
    }
  }

  /**
   * One member of a bucket.
   *
   * @param id peer id
   * @param addrs known dialable addresses
   * @param addedAt when it entered the table
   * @param lastSeen when it last answered
   * @param failures consecutive failed requests
   */
  public record Peer(
      PeerId id, List<Multiaddr> addrs, Instant addedAt, Instant lastSeen, int failures) {

    /** Copies the list. */
    public Peer {
      addrs = List.copyOf(addrs);
    }
  }
}
