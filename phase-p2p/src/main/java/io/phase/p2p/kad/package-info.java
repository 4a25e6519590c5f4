/**
 * Kademlia DHT ({@code /ipfs/kad/1.0.0}): keyspace and distance, routing table, provider and record
 * stores, wire codec, request handling and iterative lookups over an abstract {@link
 * io.phase.p2p.kad.KadNetwork}. Every size, count and wait is bounded; see {@code docs/kad.md}.
 */
package io.phase.p2p.kad;
