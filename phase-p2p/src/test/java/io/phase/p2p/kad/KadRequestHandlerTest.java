package io.phase.p2p.kad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phase.p2p.kad.routing.KadKey;
import io.phase.p2p.kad.routing.PeerInfo;
import io.phase.p2p.kad.routing.RoutingTable;
import io.phase.p2p.kad.store.NamespacedValidator;
import io.phase.p2p.kad.store.ProviderStore;
import io.phase.p2p.kad.store.RecordStore;
import io.phase.p2p.kad.store.VersionValidator;
import io.phase.p2p.kad.wire.KadMessage;
import io.phase.p2p.kad.wire.KadMessageException;
import io.phase.p2p.kad.wire.KadRecord;
import io.phase.p2p.peer.PeerId;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class KadRequestHandlerTest {

  private static final PeerId LOCAL = TestPeers.peer(0);
  private static final byte[] KEY =
      "/phase/capability/x86_64/chicory".getBytes(StandardCharsets.UTF_8);

  private final MutableClock clock = new MutableClock();
  private final KadConfig config = KadConfig.defaults();
  private final RoutingTable table =
      new RoutingTable(
          LOCAL, config.routingLimits(), p -> CompletableFuture.completedFuture(true), clock);
  private final ProviderStore providers = new ProviderStore(config.providerLimits(), clock);
  private final RecordStore records =
      new RecordStore(
          config.recordLimits(),
          new NamespacedValidator(Map.of("v", new VersionValidator())),
          clock);
  private final KadRequestHandler handler =
      new KadRequestHandler(LOCAL, config, table, providers, records);

  private KadMessage answer(PeerInfo sender, KadMessage request) throws KadMessageException {
    return handler.handle(sender, request).orElseThrow();
  }

  @Test
  void pingIsAnswered() throws Exception {
    assertEquals(KadMessage.Type.PING, answer(TestPeers.info(1), KadMessage.ping()).type());
  }

  @Test
  void findNodeReturnsKClosestExcludingRequester() throws Exception {
    IntStream.rangeClosed(1, 200).forEach(i -> table.peerAnswered(TestPeers.info(i)));
    PeerId target = TestPeers.peer(5000);
    KadMessage r = answer(TestPeers.info(1), KadMessage.findNode(target.toBytes()));
    assertEquals(KadMessage.Type.FIND_NODE, r.type());
    List<PeerInfo> expected =
        table.closest(KadKey.ofPeer(target), 21).stream()
            .filter(p -> !p.id().equals(TestPeers.peer(1)))
            .limit(20)
            .toList();
    assertEquals(expected, r.closerPeers());
    // The requester itself is never returned, even when it is the closest.
    KadMessage self = answer(TestPeers.info(7), KadMessage.findNode(TestPeers.peer(7).toBytes()));
    assertEquals(20, self.closerPeers().size());
    assertTrue(self.closerPeers().stream().noneMatch(p -> p.id().equals(TestPeers.peer(7))));
    assertEquals(
        self.closerPeers().stream()
            .sorted(
                Comparator.comparing(
                    PeerInfo::kadKey, KadKey.byDistanceTo(KadKey.ofPeer(TestPeers.peer(7)))))
            .toList(),
        self.closerPeers());
  }

  @Test
  void addProviderOnlyStoresTheSender() throws Exception {
    PeerInfo sender = TestPeers.info(1);
    assertEquals(
        Optional.empty(), handler.handle(sender, KadMessage.addProvider(KEY, TestPeers.info(2))));
    assertEquals(0, providers.size());
    assertEquals(Optional.empty(), handler.handle(sender, KadMessage.addProvider(KEY, sender)));
    assertEquals(List.of(sender), providers.providers(KEY, 20));
    // A provider entry without addresses is stored with the sender's.
    PeerInfo bare = PeerInfo.of(TestPeers.peer(3));
    handler.handle(TestPeers.info(3), KadMessage.addProvider(KEY, bare));
    assertTrue(providers.providers(KEY, 20).contains(TestPeers.info(3)));
    assertThrows(
        KadMessageException.class,
        () -> handler.handle(sender, KadMessage.addProvider(new byte[0], sender)));
  }

  @Test
  void getProvidersReturnsProvidersAndCloserPeers() throws Exception {
    IntStream.rangeClosed(1, 50).forEach(i -> table.peerAnswered(TestPeers.info(i)));
    IntStream.rangeClosed(100, 130).forEach(i -> providers.addProvider(KEY, TestPeers.info(i)));
    KadMessage r = answer(TestPeers.info(1), KadMessage.getProviders(KEY));
    assertEquals(KadMessage.Type.GET_PROVIDERS, r.type());
    assertEquals(20, r.providerPeers().size());
    assertEquals(20, r.closerPeers().size());
    KadMessage none =
        answer(
            TestPeers.info(1), KadMessage.getProviders("/other".getBytes(StandardCharsets.UTF_8)));
    assertTrue(none.providerPeers().isEmpty());
  }

  @Test
  void putAndGetValueWithValidation() throws Exception {
    byte[] key = "/v/x".getBytes(StandardCharsets.UTF_8);
    KadMessage put = KadMessage.putValue(KadRecord.of(key, "4".getBytes(StandardCharsets.UTF_8)));
    assertEquals(put, answer(TestPeers.info(1), put));
    KadMessage got = answer(TestPeers.info(2), KadMessage.getValue(key));
    assertEquals("4", new String(got.record().value().toByteArray(), StandardCharsets.UTF_8));
    assertFalse(got.record().timeReceived().isEmpty());
    // Worse value, invalid value, unknown namespace, missing record, mismatched key: refused.
    assertThrows(
        KadMessageException.class,
        () ->
            handler.handle(
                TestPeers.info(1),
                KadMessage.putValue(KadRecord.of(key, "3".getBytes(StandardCharsets.UTF_8)))));
    assertThrows(
        KadMessageException.class,
        () ->
            handler.handle(
                TestPeers.info(1),
                KadMessage.putValue(KadRecord.of(key, "x".getBytes(StandardCharsets.UTF_8)))));
    assertThrows(
        KadMessageException.class,
        () ->
            handler.handle(
                TestPeers.info(1),
                KadMessage.putValue(
                    KadRecord.of(
                        "/zz/x".getBytes(StandardCharsets.UTF_8),
                        "1".getBytes(StandardCharsets.UTF_8)))));
    assertThrows(
        KadMessageException.class,
        () ->
            handler.handle(
                TestPeers.info(1),
                new KadMessage(KadMessage.Type.PUT_VALUE, key, null, List.of(), List.of())));
    assertThrows(
        KadMessageException.class,
        () ->
            handler.handle(
                TestPeers.info(1),
                new KadMessage(
                    KadMessage.Type.PUT_VALUE,
                    "/v/y".getBytes(StandardCharsets.UTF_8),
                    KadRecord.of(key, "9".getBytes(StandardCharsets.UTF_8)),
                    List.of(),
                    List.of())));
    assertNull(
        answer(TestPeers.info(2), KadMessage.getValue("/v/none".getBytes(StandardCharsets.UTF_8)))
            .record());
  }
}
