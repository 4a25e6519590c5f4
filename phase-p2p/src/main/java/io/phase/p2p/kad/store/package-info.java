/** Kademlia value and provider records: bounded stores and namespace validators. */
package io.phase.p2p.kad.store;
