package io.phase.p2p.identify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phase.p2p.multiaddr.Multiaddr;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdvertisedAddressesTest {
  private final AdvertisedAddresses advertised = new AdvertisedAddresses();

  @Test
  void specificAddressesPassThrough() {
    List<Multiaddr> in =
        List.of(Multiaddr.parse("/ip4/10.1.2.3/tcp/4001"), Multiaddr.parse("/ip6/::1/tcp/4001"));
    assertEquals(in, advertised.expand(in, 64));
    assertEquals(in.subList(0, 1), advertised.expand(in, 1));
  }

  @Test
  void wildcardBecomesInterfaceAddresses() {
    List<Multiaddr> out = advertised.expand(List.of(Multiaddr.parse("/ip4/0.0.0.0/tcp/4321")), 64);
    assertTrue(out.contains(Multiaddr.parse("/ip4/127.0.0.1/tcp/4321")), out.toString());
    assertFalse(out.contains(Multiaddr.parse("/ip4/0.0.0.0/tcp/4321")), out.toString());
    out.forEach(a -> assertTrue(a.toString().startsWith("/ip4/"), a.toString()));
  }
}
