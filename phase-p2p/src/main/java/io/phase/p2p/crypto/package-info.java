/**
 * Ed25519 identity keys with the libp2p protobuf key encodings ({@code PublicKey}/{@code
 * PrivateKey} messages, hand-encoded), and our own constant-time Curve25519 arithmetic: {@link
 * io.phase.p2p.crypto.Curve25519} (X25519) and the package-private Ed25519 behind the keys. {@link
 * io.phase.p2p.crypto.Curve25519Implementation} selects ours (default) or the JDK providers.
 */
package io.phase.p2p.crypto;
