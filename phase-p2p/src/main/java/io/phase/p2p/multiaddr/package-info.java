/** Multiaddr: self-describing network addresses in text and binary form. */
package io.phase.p2p.multiaddr;
