package io.phase.p2p.kad.routing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phase.p2p.kad.TestPeers;
import io.phase.p2p.peer.PeerId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KadKeyTest {

  private static final HexFormat HEX = HexFormat.of();

  private static KadKey point(String hex) {
    byte[] h = new byte[32];
    byte[] prefix = HEX.parseHex(hex);
    System.arraycopy(prefix, 0, h, 0, prefix.length);
    return KadKey.fromHash(h);
  }

  @Test
  void keyIsSha256OfBytes() {
    KadKey k = KadKey.of("abc".getBytes(StandardCharsets.US_ASCII));
    assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", k.toString());
    assertArrayEquals(
        HEX.parseHex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"), k.hash());
  }

  @Test
  void peerKeyIsSha256OfPeerIdBytes() {
    PeerId p = TestPeers.peer(1);
    assertEquals(KadKey.of(p.toBytes()), KadKey.ofPeer(p));
    assertEquals(KadKey.ofPeer(p), PeerInfo.of(p).kadKey());
    assertNotEquals(KadKey.ofPeer(p), KadKey.ofPeer(TestPeers.peer(2)));
  }

  @Test
  void fromHashRequires32Bytes() {
    assertThrows(IllegalArgumentException.class, () -> KadKey.fromHash(new byte[31]));
    assertThrows(IllegalArgumentException.class, () -> KadKey.fromHash(new byte[33]));
    byte[] h = new byte[32];
    KadKey k = KadKey.fromHash(h);
    h[0] = 1; // defensive copy
    assertEquals(0, k.hash()[0]);
  }

  @Test
  void commonPrefixLength() {
    KadKey zero = point("00");
    assertEquals(256, zero.commonPrefixLength(zero));
    assertEquals(0, zero.commonPrefixLength(point("80")));
    assertEquals(1, zero.commonPrefixLength(point("40")));
    assertEquals(7, zero.commonPrefixLength(point("01")));
    assertEquals(8, zero.commonPrefixLength(point("0080")));
    assertEquals(15, zero.commonPrefixLength(point("0001")));
    byte[] last = new byte[32];
    last[31] = 1;
    assertEquals(255, zero.commonPrefixLength(KadKey.fromHash(last)));
    assertEquals(3, point("f0").commonPrefixLength(point("e8")));
  }

  @Test
  void distanceIsXorOrderedUnsigned() {
    KadKey a = point("ff00");
    KadKey b = point("0f01");
    KadDistance d = a.distanceTo(b);
    assertEquals("f001" + "00".repeat(30), d.toString());
    assertEquals(d, b.distanceTo(a));
    assertTrue(a.distanceTo(a).isZero());
    assertEquals(256, a.distanceTo(a).leadingZeros());
    assertEquals(0, d.leadingZeros());
    assertEquals(a.commonPrefixLength(b), d.leadingZeros());
    // 0x80.. is farther than 0x7f.. (unsigned comparison)
    KadKey zero = point("00");
    assertTrue(zero.distanceTo(point("80")).compareTo(zero.distanceTo(point("7f"))) > 0);
    assertFalse(d.isZero());
  }

  @Test
  void comparatorMatchesDistanceOrder() {
    Random rnd = new Random(7);
    KadKey target = KadKey.of("target".getBytes(StandardCharsets.UTF_8));
    List<KadKey> keys = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      byte[] h = new byte[32];
      rnd.nextBytes(h);
      if (i % 4 == 0) {
        System.arraycopy(target.hash(), 0, h, 0, 2); // share a prefix sometimes
      }
      keys.add(KadKey.fromHash(h));
    }
    List<KadKey> byComparator = new ArrayList<>(keys);
    byComparator.sort(KadKey.byDistanceTo(target));
    List<KadKey> byDistance = new ArrayList<>(keys);
    byDistance.sort((x, y) -> x.distanceTo(target).compareTo(y.distanceTo(target)));
    assertEquals(byDistance, byComparator);
    for (int i = 1; i < byComparator.size(); i++) {
      assertTrue(
          byComparator.get(i - 1).commonPrefixLength(target)
              >= byComparator.get(i).commonPrefixLength(target));
    }
    assertEquals(0, KadKey.compareDistance(target, keys.get(0), keys.get(0)));
  }
}
