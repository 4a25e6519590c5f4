package io.phase.p2p.identify;

import io.phase.p2p.crypto.Ed25519PublicKey;
import io.phase.p2p.multiaddr.Multiaddr;
import io.phase.p2p.peer.PeerId;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a peer told us about itself through Identify (and later Identify Push updates). Immutable.
 *
 * @param peer the authenticated peer the information came from
 * @param protocolVersion e.g. {@code "ipfs/0.1.0"}; empty if the peer did not send one
 * @param agentVersion e.g. {@code "phase/0.1.0"}; empty if the peer did not send one
 * @param publicKey the peer's identity key, verified to match {@code peer}
 * @param listenAddresses the addresses the peer says it listens on (those we could parse; at most
 *     {@link Identify#MAX_LISTEN_ADDRESSES})
 * @param observedAddress our address as the peer sees it, if sent and parseable, as sent (js-libp2p
 *     appends {@code /p2p/<our peer id>})
 * @param protocols the protocol ids the peer serves (at most {@link Identify#MAX_PROTOCOLS})
 * @param receivedAt when the information was last updated
 */
public record IdentifyResult(
    PeerId peer,
    String protocolVersion,
    String agentVersion,
    Ed25519PublicKey publicKey,
    List<Multiaddr> listenAddresses,
    Optional<Multiaddr> observedAddress,
    Set<String> protocols,
    Instant receivedAt) {

  /** Checks non-null fields and takes immutable copies of the collections. */
  public IdentifyResult {
    Objects.requireNonNull(peer, "peer");
    Objects.requireNonNull(protocolVersion, "protocolVersion");
    Objects.requireNonNull(agentVersion, "agentVersion");
    Objects.requireNonNull(publicKey, "publicKey");
    listenAddresses = List.copyOf(listenAddresses);
    Objects.requireNonNull(observedAddress, "observedAddress");
    protocols = Set.copyOf(protocols);
    Objects.requireNonNull(receivedAt, "receivedAt");
  }

  /** Whether the peer announced {@code protocolId}. */
  public boolean supports(String protocolId) {
    return protocols.contains(protocolId);
  }
}
