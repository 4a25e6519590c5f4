/**
 * Multiformats primitives used by libp2p: base58btc, unsigned varints, multihashes and the base32
 * multibase used by CIDs. Every decoder is strict and bounded: malformed, non-canonical or
 * oversized input is rejected with an {@link java.lang.IllegalArgumentException}.
 */
package io.phase.p2p.multiformats;
