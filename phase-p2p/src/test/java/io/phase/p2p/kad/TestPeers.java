package io.phase.p2p.kad;

import io.phase.p2p.crypto.Ed25519PrivateKey;
import io.phase.p2p.kad.routing.PeerInfo;
import io.phase.p2p.multiaddr.Multiaddr;
import io.phase.p2p.peer.PeerId;
import java.nio.ByteBuffer;
import java.util.List;

/** Deterministic peer ids and addresses for tests. */
public final class TestPeers {

  private TestPeers() {}

  /** The peer id derived from a seed built from {@code n}. */
  public static PeerId peer(int n) {
    byte[] seed = ByteBuffer.allocate(32).putInt(n).putInt(0x6b616421).array();
    return PeerId.fromPublicKey(Ed25519PrivateKey.fromSeed(seed).publicKey());
  }

  /** A dialable loopback TCP address with a port derived from {@code n}. */
  public static Multiaddr addr(int n) {
    return Multiaddr.parse("/ip4/127.0.0.1/tcp/" + (1024 + (n % 60000)));
  }

  /** Peer {@code n} with one address. */
  public static PeerInfo info(int n) {
    return new PeerInfo(peer(n), List.of(addr(n)));
  }
}
