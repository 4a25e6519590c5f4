package io.phase.p2p.kad;

import io.phase.p2p.kad.routing.PeerInfo;
import io.phase.p2p.kad.wire.KadMessage;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * How a Kademlia node reaches other peers: one message per stream on {@code /ipfs/kad/1.0.0}.
 * Implementations must never block the caller, must honour {@code timeout}, and complete the future
 * exceptionally on any failure (dial, protocol negotiation, reset, malformed or oversized reply).
 */
public interface KadNetwork {

  /** Sends {@code request} to {@code peer} and completes with its single response. */
  CompletableFuture<KadMessage> request(PeerInfo peer, KadMessage request, Duration timeout);

  /**
   * Sends a message that gets no response (ADD_PROVIDER) and completes once it has been written and
   * the stream closed.
   */
  CompletableFuture<Void> send(PeerInfo peer, KadMessage message, Duration timeout);
}
