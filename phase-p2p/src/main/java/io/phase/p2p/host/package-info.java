/**
 * The libp2p host: listens and dials over TCP, upgrades every connection with multistream-select,
 * Noise and Yamux, enforces {@link io.phase.p2p.host.HostLimits}, and routes streams to protocol
 * handlers.
 */
package io.phase.p2p.host;
