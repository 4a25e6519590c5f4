package io.phase.p2p.kad.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phase.p2p.kad.KadConfig;
import io.phase.p2p.kad.MutableClock;
import io.phase.p2p.kad.TestPeers;
import io.phase.p2p.kad.routing.PeerInfo;
import io.phase.p2p.multiaddr.Multiaddr;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProviderStoreTest {

  private static final byte[] KEY =
      "/phase/capability/x86_64/chicory".getBytes(StandardCharsets.UTF_8);
  private final MutableClock clock = new MutableClock();

  @Test
  void providersExpireAfter48HoursUnlessRefreshed() {
    ProviderStore s = new ProviderStore(KadConfig.defaults().providerLimits(), clock);
    assertTrue(s.addProvider(KEY, TestPeers.info(1)));
    assertTrue(s.addProvider(KEY, TestPeers.info(2)));
    assertEquals(List.of(TestPeers.info(1), TestPeers.info(2)), s.providers(KEY, 20));
    clock.advance(Duration.ofHours(47));
    assertTrue(s.addProvider(KEY, TestPeers.info(2))); // refresh
    assertEquals(2, s.size());
    clock.advance(Duration.ofHours(1));
    assertEquals(List.of(TestPeers.info(2)), s.providers(KEY, 20));
    assertEquals(1, s.size());
    clock.advance(Duration.ofHours(47));
    assertEquals(1, s.prune());
    assertEquals(0, s.size());
    assertEquals(0, s.keyCount());
    assertEquals(List.of(), s.providers(KEY, 20));
  }

  @Test
  void perKeyCapDropsLeastRecentlyAnnounced() {
    KadConfig c = KadConfig.builder().maxProvidersPerKey(3).build();
    ProviderStore s = new ProviderStore(c.providerLimits(), clock);
    for (int i = 1; i <= 3; i++) {
      s.addProvider(KEY, TestPeers.info(i));
    }
    s.addProvider(KEY, TestPeers.info(1)); // refresh moves 1 to newest
    s.addProvider(KEY, TestPeers.info(4)); // evicts 2
    Set<PeerInfo> got = new HashSet<>(s.providers(KEY, 10));
    assertEquals(Set.of(TestPeers.info(1), TestPeers.info(3), TestPeers.info(4)), got);
    assertEquals(3, s.size());
  }

  @Test
  void totalCapRefusesNewButPrunesExpiredFirst() {
    KadConfig c = KadConfig.builder().maxProvidersPerKey(2).maxProviderRecords(4).build();
    ProviderStore s = new ProviderStore(c.providerLimits(), clock);
    for (int k = 0; k < 2; k++) {
      for (int i = 0; i < 2; i++) {
        assertTrue(s.addProvider(new byte[] {(byte) k}, TestPeers.info(i)));
      }
    }
    assertFalse(s.addProvider(new byte[] {9}, TestPeers.info(5)));
    assertTrue(s.addProvider(new byte[] {0}, TestPeers.info(0))); // refresh still works
    assertEquals(4, s.size());
    clock.advance(Duration.ofHours(49));
    assertTrue(s.addProvider(new byte[] {9}, TestPeers.info(5)));
    assertEquals(1, s.size());
    assertEquals(1, s.keyCount());
  }

  @Test
  void responsesAreCappedRandomSamples() {
    ProviderStore s = new ProviderStore(KadConfig.defaults().providerLimits(), clock);
    for (int i = 0; i < 40; i++) {
      s.addProvider(KEY, TestPeers.info(i));
    }
    Set<PeerInfo> seen = new HashSet<>();
    for (int round = 0; round < 20; round++) {
      List<PeerInfo> sample = s.providers(KEY, 20);
      assertEquals(20, sample.size());
      assertEquals(20, new HashSet<>(sample).size());
      seen.addAll(sample);
    }
    assertTrue(seen.size() > 20, "samples differ between calls");
  }

  @Test
  void addressesAreSanitisedAndKeysBounded() {
    ProviderStore s = new ProviderStore(KadConfig.defaults().providerLimits(), clock);
    List<Multiaddr> addrs = new ArrayList<>();
    addrs.add(Multiaddr.parse("/ip4/0.0.0.0/tcp/1"));
    for (int i = 0; i < 12; i++) {
      addrs.add(Multiaddr.parse("/ip4/10.0.0.1/tcp/" + (100 + i)));
    }
    s.addProvider(KEY, new PeerInfo(TestPeers.peer(1), addrs));
    List<Multiaddr> stored = s.providers(KEY, 1).get(0).addrs();
    assertEquals(8, stored.size());
    assertEquals(addrs.subList(1, 9), stored);
    assertThrows(
        IllegalArgumentException.class, () -> s.addProvider(new byte[0], TestPeers.info(1)));
    assertThrows(
        IllegalArgumentException.class, () -> s.addProvider(new byte[257], TestPeers.info(1)));
  }
}
