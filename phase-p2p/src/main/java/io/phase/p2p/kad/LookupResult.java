package io.phase.p2p.kad;

import io.phase.p2p.kad.routing.PeerInfo;
import java.util.List;

/**
 * Outcome of an iterative {@link Lookup}.
 *
 * @param closest up to {@code k} peers that answered, closest to the target first
 * @param hops for a lookup satisfied early (enough providers or values), the hop count of the
 *     answer that satisfied it; otherwise the largest hop count among {@code closest}. Peers from
 *     the seed list are hop 1; a peer learnt from a hop-{@code h} peer is hop {@code h + 1}.
 * @param queried requests sent
 * @param failed requests that failed or timed out
 * @param termination why the lookup stopped
 */
public record LookupResult(
    List<PeerInfo> closest, int hops, int queried, int failed, Termination termination) {

  /** Why a lookup stopped. */
  public enum Termination {
    /** The k closest peers seen have all answered. */
    CONVERGED,
    /** Every known peer was queried (fewer than k answered). */
    EXHAUSTED,
    /** The collector had what it needed (enough providers or values). */
    SATISFIED,
    /** The whole-lookup deadline passed; the result is partial. */
    DEADLINE
  }

  /** Copies the list. */
  public LookupResult {
    closest = List.copyOf(closest);
  }

  /** The result of a lookup answered from local state without any request. */
  static LookupResult local() {
    return new LookupResult(List.of(), 0, 0, 0, Termination.SATISFIED);
  }
}
