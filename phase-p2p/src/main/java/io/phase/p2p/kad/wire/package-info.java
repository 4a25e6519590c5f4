/** Kademlia wire messages and their bounded protobuf codec and framing. */
package io.phase.p2p.kad.wire;
