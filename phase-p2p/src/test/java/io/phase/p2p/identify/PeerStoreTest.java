package io.phase.p2p.identify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phase.p2p.crypto.Ed25519PrivateKey;
import io.phase.p2p.peer.PeerId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PeerStoreTest {
  private static IdentifyResult result() {
    Ed25519PrivateKey key = Ed25519PrivateKey.generate();
    return new IdentifyResult(
        PeerId.fromPublicKey(key.publicKey()),
        "ipfs/0.1.0",
        "t",
        key.publicKey(),
        List.of(),
        Optional.empty(),
        Set.of("/a/1"),
        Instant.now());
  }

  @Test
  void evictsLeastRecentlyUsed() {
    PeerStore store = new PeerStore(2);
    IdentifyResult a = result();
    IdentifyResult b = result();
    IdentifyResult c = result();
    store.put(a);
    store.put(b);
    assertTrue(store.get(a.peer()).isPresent(), "reading a makes b the eldest");
    store.put(c);
    assertEquals(2, store.size());
    assertFalse(store.get(b.peer()).isPresent());
    assertEquals(List.of(a.peer(), c.peer()), store.peers());
    assertTrue(store.remove(a.peer()));
    assertFalse(store.remove(a.peer()));
    assertEquals(1, store.size());
  }

  @Test
  void rejectsZeroCapacity() {
    assertThrows(IllegalArgumentException.class, () -> new PeerStore(0));
  }
}
