/**
 * libp2p Ping ({@code /ipfs/ping/1.0.0}): the initiator sends 32 random bytes, the responder echoes
 * them, the initiator measures the round trip. {@link io.phase.p2p.ping.Ping} serves the protocol
 * on a {@link io.phase.p2p.host.Host} and pings peers.
 */
package io.phase.p2p.ping;
