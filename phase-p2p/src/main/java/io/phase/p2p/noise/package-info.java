/**
 * libp2p Noise security ({@code /noise}): the Noise_XX_25519_ChaChaPoly_SHA256 state machine on the
 * JDK's X25519, ChaCha20-Poly1305 and SHA-256, the libp2p identity payload, and Netty handlers for
 * the handshake and the length-prefixed transport messages.
 */
package io.phase.p2p.noise;
