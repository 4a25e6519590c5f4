/**
 * Kademlia keyspace, distance, address hygiene and the routing table; knows nothing of the wire or
 * the stores.
 */
package io.phase.p2p.kad.routing;
