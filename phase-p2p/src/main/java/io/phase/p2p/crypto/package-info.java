/**
 * Ed25519 identity keys with the libp2p protobuf key encodings ({@code PublicKey}/{@code
 * PrivateKey} messages, hand-encoded). Signing and verification run on BouncyCastle's RFC 8032
 * Ed25519 through its lightweight API (no provider registration).
 */
package io.phase.p2p.crypto;
