/**
 * libp2p Noise security ({@code /noise}): the Noise_XX_25519_ChaChaPoly_SHA256 state machine on
 * BouncyCastle's X25519 and the JDK's SHA-256, the libp2p identity payload, and Netty handlers for
 * the handshake and the length-prefixed transport messages. ChaCha20-Poly1305 is the JDK's on every
 * JDK, see {@code NoiseAead}.
 */
package io.phase.p2p.noise;
