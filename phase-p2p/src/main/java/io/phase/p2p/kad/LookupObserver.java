package io.phase.p2p.kad;

import io.phase.p2p.kad.wire.KadMessage;

/**
 * Told of every iterative lookup a {@link KadNode} finishes, e.g. to count lookups and their
 * latency. Called on the thread that completed the lookup (possibly an event loop): return quickly
 * and never block.
 */
@FunctionalInterface
public interface LookupObserver {
  /**
   * @param type the request the lookup sent ({@code FIND_NODE}, {@code GET_PROVIDERS}, {@code
   *     GET_VALUE})
   * @param termination why it stopped, or null if it failed with an exception
   * @param nanos how long it took
   */
  void lookupFinished(KadMessage.Type type, LookupResult.Termination termination, long nanos);
}
