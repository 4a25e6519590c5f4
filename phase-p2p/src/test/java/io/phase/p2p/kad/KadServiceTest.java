package io.phase.p2p.kad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phase.p2p.crypto.Ed25519PrivateKey;
import io.phase.p2p.host.Host;
import io.phase.p2p.kad.routing.PeerInfo;
import io.phase.p2p.kad.store.NamespacedValidator;
import io.phase.p2p.multiaddr.Multiaddr;
import io.phase.p2p.peer.PeerId;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link KadService} on real TCP hosts, with time driven by a {@link ManualScheduler}. */
@Timeout(120)
class KadServiceTest {
  private static final Multiaddr LOOPBACK = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final MutableClock clock = new MutableClock();
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final Map<PeerId, List<Multiaddr>> addressBook = new ConcurrentHashMap<>();
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final KadConfig kad =
      KadConfig.builder()
          .queryTimeout(Duration.ofSeconds(3))
          .livenessTimeout(Duration.ofSeconds(3))
          .lookupDeadline(Duration.ofSeconds(10))
          .build();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
  }

  private Host host(Ed25519PrivateKey key, Multiaddr listen) throws Exception {
    Host h = Host.builder().identity(key).eventLoopThreads(1).listen(listen).build();
    closeables.add(() -> h.close(Duration.ofSeconds(2)));
    addressBook.put(h.peerId(), h.listenAddresses());
    return h;
  }

  private KadService service(Host h, KadServiceConfig config) {
    KadService s =
        new KadService(
            h,
            config,
            p -> addressBook.getOrDefault(p, List.of()),
            h::listenAddresses,
            new NamespacedValidator(Map.of()),
            scheduler,
            clock);
    closeables.add(s);
    s.start();
    return s;
  }

  private KadServiceConfig.Builder config(Multiaddr... bootstrap) {
    return KadServiceConfig.builder().kad(kad).bootstrap(List.of(bootstrap));
  }

  private static Multiaddr addressOf(Host h) {
    return h.listenAddresses().get(0).withP2p(h.peerId());
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(10);
    }
  }

  /** The delay of the pending bootstrap retry (the only task shorter than a minute). */
  private Duration pendingRetry() throws InterruptedException {
    await(
        "a bootstrap retry",
        () ->
            scheduler.pendingDelays().stream()
                .anyMatch(d -> d.compareTo(Duration.ofMinutes(1)) < 0));
    return scheduler.pendingDelays().get(0);
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void bootstrapRetriesWithBackoffUntilTheBootstrapPeerIsUp() throws Exception {
    Ed25519PrivateKey bootKey = Ed25519PrivateKey.generate();
    PeerId bootId = PeerId.fromPublicKey(bootKey.publicKey());
    int port = freePort();
    Multiaddr bootAddr = Multiaddr.parse("/ip4/127.0.0.1/tcp/" + port).withP2p(bootId);

    Host joiner = host(Ed25519PrivateKey.generate(), LOOPBACK);
    KadService service =
        service(
            joiner,
            config(bootAddr)
                .bootstrapBackoff(Duration.ofSeconds(1), Duration.ofSeconds(4))
                .build());
    // Attempt 1 fails (nothing listens): a retry is due within 1 s (minus up to 25 % jitter).
    Duration first = pendingRetry();
    assertEquals(1, service.bootstrapAttempts());
    assertTrue(
        first.compareTo(Duration.ofMillis(750)) >= 0 && first.compareTo(Duration.ofSeconds(1)) <= 0,
        first.toString());
    scheduler.advance(first);
    Duration second = pendingRetry();
    assertEquals(2, service.bootstrapAttempts());
    assertTrue(
        second.compareTo(Duration.ofMillis(1500)) >= 0
            && second.compareTo(Duration.ofSeconds(2)) <= 0,
        second.toString());
    scheduler.advance(second);
    Duration third = pendingRetry();
    scheduler.advance(third);
    Duration capped = pendingRetry();
    assertEquals(4, service.bootstrapAttempts());
    assertTrue(
        capped.compareTo(Duration.ofSeconds(4)) <= 0
            && capped.compareTo(Duration.ofSeconds(3)) >= 0,
        capped.toString());
    assertFalse(service.joined().isDone());

    // The bootstrap peer comes up; the next attempt joins.
    Host boot = host(bootKey, Multiaddr.parse("/ip4/127.0.0.1/tcp/" + port));
    KadService bootService = service(boot, config().build());
    assertTrue(bootService.joined().isDone(), "no bootstrap peers: joined at once");
    scheduler.advance(capped);
    service.joined().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertEquals(5, service.bootstrapAttempts());
    assertTrue(service.node().routingTable().contains(bootId));
    // The bootstrap peer probed the joiner (its address book knows it) and admitted it.
    await("boot admits joiner", () -> bootService.node().routingTable().contains(joiner.peerId()));
    // No more retries once joined.
    assertTrue(
        scheduler.pendingDelays().stream().allMatch(d -> d.compareTo(Duration.ofMinutes(1)) >= 0));
  }

  @Test
  void clientModeUsesTheDhtButNeverEntersRoutingTables() throws Exception {
    Host a = host(Ed25519PrivateKey.generate(), LOOPBACK);
    KadService sa = service(a, config().build());
    Host b = host(Ed25519PrivateKey.generate(), LOOPBACK);
    KadService sb = service(b, config(addressOf(a)).build());
    sb.joined().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    byte[] key = "/phase/capability/x86_64/wasm".getBytes(StandardCharsets.UTF_8);
    assertTrue(sb.provide(key).get(WAIT.toSeconds(), TimeUnit.SECONDS) >= 1);

    Host c = host(Ed25519PrivateKey.generate(), LOOPBACK);
    KadService client = service(c, config(addressOf(a)).mode(KadMode.CLIENT).build());
    client.joined().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertFalse(c.protocols().contains(KadProtocol.PROTOCOL_ID), "client does not serve kad");
    KadNode.ProvidersResult found =
        client.node().findProviders(key, 5).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertEquals(List.of(b.peerId()), found.providers().stream().map(PeerInfo::id).toList());
    // The servers tried to probe the client after its requests, which failed: it is not listed.
    Thread.sleep(500);
    assertFalse(sa.node().routingTable().contains(c.peerId()));
    assertFalse(sb.node().routingTable().contains(c.peerId()));
    assertTrue(sa.node().routingTable().contains(b.peerId()));
  }

  @Test
  void republishKeepsProviderRecordsAliveAndStopProvidingLetsThemExpire() throws Exception {
    KadServiceConfig.Builder base =
        config().refreshInterval(Duration.ofDays(30)).pruneInterval(Duration.ofHours(1));
    Host a = host(Ed25519PrivateKey.generate(), LOOPBACK);
    KadService sa = service(a, base.build());
    Host b = host(Ed25519PrivateKey.generate(), LOOPBACK);
    KadService sb = service(b, config(addressOf(a)).refreshInterval(Duration.ofDays(30)).build());
    sb.joined().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    await("a admits b", () -> sa.node().routingTable().contains(b.peerId()));

    byte[] kept = "/phase/capability/aarch64/wasm".getBytes(StandardCharsets.UTF_8);
    byte[] dropped = "/phase/capability/x86_64/wasm".getBytes(StandardCharsets.UTF_8);
    assertEquals(1, sb.provide(kept).get(WAIT.toSeconds(), TimeUnit.SECONDS));
    assertEquals(1, sb.provide(dropped).get(WAIT.toSeconds(), TimeUnit.SECONDS));
    await("a stores both", () -> sa.node().providerStore().size() == 2);
    sb.stopProviding(dropped);
    assertEquals(1, sb.providedKeyCount());

    // Four republish rounds (every 12 h) carry `kept` past the 48 h TTL of the first announcement.
    for (int round = 1; round <= 4; round++) {
      scheduler.advance(Duration.ofHours(12));
      int expected = round;
      await("republish round " + round, () -> sb.republishRounds() == expected);
      // Both services' republish timers are armed again (12 h from now) before time moves on.
      await(
          "republish timers re-armed",
          () ->
              scheduler.pendingDelays().stream().filter(d -> d.equals(Duration.ofHours(12))).count()
                  == 2);
    }
    scheduler.advance(Duration.ofHours(2)); // t = 50 h: the prune round ran at 49 h and 50 h
    assertEquals(1, sa.node().providerStore().size());
    assertEquals(
        List.of(b.peerId()),
        sa.node().providerStore().providers(kept, 5).stream().map(PeerInfo::id).toList());
    assertEquals(List.of(), sa.node().providerStore().providers(dropped, 5));
  }

  @Test
  void refreshRefillsTheTableAndCloseCancelsEveryTimer() throws Exception {
    Host a = host(Ed25519PrivateKey.generate(), LOOPBACK);
    KadService sa = service(a, config().build());
    List<KadService> joined = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Host h = host(Ed25519PrivateKey.generate(), LOOPBACK);
      KadService s = service(h, config(addressOf(a)).build());
      s.joined().get(WAIT.toSeconds(), TimeUnit.SECONDS);
      joined.add(s);
    }
    KadService first = joined.get(0);
    PeerId last = joined.get(2).node().localPeer();
    first.node().routingTable().remove(last);
    first.node().routingTable().remove(a.peerId());
    scheduler.advance(Duration.ofMinutes(10));
    await("refresh round", () -> first.refreshRounds() == 1);
    assertTrue(first.node().routingTable().contains(last), "refresh found the forgotten peer");
    assertTrue(first.node().routingTable().contains(a.peerId()));

    // Each of the 4 services has its refresh, republish and prune timer (re-armed after a round).
    await("timers re-armed", () -> scheduler.pending() == 4 * 3);
    for (KadService s : joined) {
      s.close();
    }
    sa.close();
    assertEquals(0, scheduler.pending());
    assertFalse(a.protocols().contains(KadProtocol.PROTOCOL_ID));
    assertThrows(IllegalStateException.class, sa::start);
    scheduler.advance(Duration.ofDays(3)); // nothing runs
    assertEquals(1, first.refreshRounds());
  }

  @Test
  void configRefusesRepublishingTooRarelyAndBootstrapWithoutPeerId() {
    assertThrows(
        IllegalArgumentException.class,
        () -> KadServiceConfig.builder().republishInterval(Duration.ofHours(25)).build());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            KadServiceConfig.builder()
                .bootstrap(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/4001")))
                .build());
  }
}
