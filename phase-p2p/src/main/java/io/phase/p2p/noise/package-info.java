/**
 * libp2p Noise security ({@code /noise}): the Noise_XX_25519_ChaChaPoly_SHA256 state machine on
 * X25519 (ours by default, the JDK's with {@code -Dphase.curve25519=jdk}, see {@code
 * io.phase.p2p.crypto.Curve25519Implementation}) and the JDK's SHA-256, the libp2p identity
 * payload, and Netty handlers for the handshake and the length-prefixed transport messages.
 * ChaCha20-Poly1305 is the JDK's from JDK 20 on and our own ({@code ChaCha20Poly1305}) before, see
 * {@code AeadImplementation}.
 */
package io.phase.p2p.noise;
