/**
 * libp2p Identify ({@code /ipfs/id/1.0.0}) and Identify Push ({@code /ipfs/id/push/1.0.0}): peers
 * exchange their agent and protocol versions, public key, listen addresses, the address they
 * observe for each other and the protocols they serve. {@link io.phase.p2p.identify.Identify}
 * serves both protocols on a {@link io.phase.p2p.host.Host}, identifies every new connection and
 * keeps the results in a bounded {@link io.phase.p2p.identify.PeerStore}.
 */
package io.phase.p2p.identify;
