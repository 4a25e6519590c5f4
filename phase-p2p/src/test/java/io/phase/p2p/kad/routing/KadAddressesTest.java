package io.phase.p2p.kad.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phase.p2p.kad.TestPeers;
import io.phase.p2p.multiaddr.Multiaddr;
import io.phase.p2p.peer.PeerId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KadAddressesTest {

  private static boolean dialable(String a) {
    return KadAddresses.isDialable(Multiaddr.parse(a));
  }

  @Test
  void dialableShapes() {
    assertTrue(dialable("/ip4/1.2.3.4/tcp/4001"));
    assertTrue(dialable("/ip4/127.0.0.1/tcp/4001"));
    assertTrue(dialable("/ip6/2001:db8::1/tcp/4001"));
    assertTrue(dialable("/dns4/example.org/tcp/443"));
    assertTrue(dialable("/ip4/1.2.3.4/udp/4001/quic-v1"));
    assertTrue(dialable("/ip4/1.2.3.4/tcp/4001/p2p/" + TestPeers.peer(1)));
  }

  @Test
  void nonDialableShapes() {
    assertFalse(dialable("/ip4/0.0.0.0/tcp/4001"));
    assertFalse(dialable("/ip6/::/tcp/4001"));
    assertFalse(dialable("/ip4/224.0.0.1/tcp/4001"));
    assertFalse(dialable("/ip4/1.2.3.4/tcp/0"));
    assertFalse(dialable("/ip4/1.2.3.4/udp/4001"));
    assertFalse(dialable("/ip4/1.2.3.4"));
    assertFalse(dialable("/dnsaddr/bootstrap.libp2p.io"));
    assertFalse(dialable("/p2p/" + TestPeers.peer(1)));
  }

  @Test
  void sanitizeStripsFiltersDedupesAndCaps() {
    PeerId me = TestPeers.peer(1);
    PeerId other = TestPeers.peer(2);
    List<Multiaddr> in = new ArrayList<>();
    in.add(Multiaddr.parse("/ip4/1.2.3.4/tcp/1/p2p/" + me));
    in.add(Multiaddr.parse("/ip4/1.2.3.4/tcp/1"));
    in.add(Multiaddr.parse("/ip4/1.2.3.4/tcp/2/p2p/" + other));
    in.add(Multiaddr.parse("/ip4/0.0.0.0/tcp/3"));
    for (int i = 10; i < 30; i++) {
      in.add(Multiaddr.parse("/ip4/10.0.0.1/tcp/" + i));
    }
    List<Multiaddr> out = KadAddresses.sanitize(me, in, 8, KadAddresses::isDialable);
    assertEquals(8, out.size());
    assertEquals(Multiaddr.parse("/ip4/1.2.3.4/tcp/1"), out.get(0));
    assertEquals(Multiaddr.parse("/ip4/10.0.0.1/tcp/10"), out.get(1));
    assertEquals(Multiaddr.parse("/ip4/10.0.0.1/tcp/16"), out.get(7));
  }
}
