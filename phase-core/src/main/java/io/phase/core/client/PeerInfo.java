package io.phase.core.client;

import io.phase.p2p.peer.PeerId;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What this client knows about a worker, for dashboards.
 *
 * @param latencyMs smoothed job-offer round trip
 * @param recentFailures failed attempts in the last few minutes
 */
public record PeerInfo(
    PeerId peer,
    OptionalDouble latencyMs,
    int recentFailures,
    long successes,
    Optional<Instant> lastContact) {}
