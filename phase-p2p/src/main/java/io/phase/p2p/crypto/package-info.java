/**
 * Ed25519 keys on top of the JDK provider, with the libp2p protobuf key encodings ({@code
 * PublicKey}/{@code PrivateKey} messages, hand-encoded).
 */
package io.phase.p2p.crypto;
