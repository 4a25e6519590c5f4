package io.phase.p2p.kad.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phase.p2p.crypto.Ed25519PrivateKey;
import io.phase.p2p.crypto.Ed25519PublicKey;
import io.phase.p2p.kad.KadConfig;
import io.phase.p2p.kad.MutableClock;
import io.phase.p2p.kad.wire.KadRecord;
import io.phase.p2p.peer.PeerId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordStoreTest {

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Test namespace "v": values are decimal version numbers, the highest wins. */
  private final MutableClock clock = new MutableClock();

  private final NamespacedValidator validator =
      new NamespacedValidator(Map.of("v", new VersionValidator(), "pk", new PublicKeyValidator()));

  @Test
  void namespaceParsing() {
    assertEquals("v", NamespacedValidator.namespace(utf8("/v/x")));
    assertEquals("phase", NamespacedValidator.namespace(utf8("/phase/a/b")));
    assertNull(NamespacedValidator.namespace(utf8("/v/")));
    assertNull(NamespacedValidator.namespace(utf8("//x")));
    assertNull(NamespacedValidator.namespace(utf8("v/x")));
    assertNull(NamespacedValidator.namespace(utf8("/vx")));
    assertNull(NamespacedValidator.namespace(utf8("/" + "n".repeat(65) + "/x")));
    assertThrows(
        IllegalArgumentException.class,
        () -> new NamespacedValidator(Map.of("a/b", new VersionValidator())));
  }

  @Test
  void storesValidRecordsAndKeepsTheBest() throws Exception {
    RecordStore s = new RecordStore(KadConfig.defaults().recordLimits(), validator, clock);
    assertEquals(RecordStore.PutResult.STORED, s.put(KadRecord.of(utf8("/v/a"), utf8("2"))));
    assertEquals(RecordStore.PutResult.KEPT_EXISTING, s.put(KadRecord.of(utf8("/v/a"), utf8("1"))));
    assertArrayEquals(utf8("2"), s.get(utf8("/v/a")).orElseThrow().value().toByteArray());
    assertEquals(RecordStore.PutResult.STORED, s.put(KadRecord.of(utf8("/v/a"), utf8("3"))));
    KadRecord r = s.get(utf8("/v/a")).orElseThrow();
    assertArrayEquals(utf8("3"), r.value().toByteArray());
    assertEquals("2026-01-01T00:00:00Z", r.timeReceived());
  }

  @Test
  void rejectsInvalidUnknownNamespaceAndOversized() {
    RecordStore s =
        new RecordStore(
            KadConfig.builder().maxRecordValueBytes(16).build().recordLimits(), validator, clock);
    assertThrows(InvalidRecordException.class, () -> s.put(KadRecord.of(utf8("/v/a"), utf8("x"))));
    assertThrows(
        InvalidRecordException.class, () -> s.put(KadRecord.of(utf8("/other/a"), utf8("1"))));
    assertThrows(
        InvalidRecordException.class, () -> s.put(KadRecord.of(utf8("noslash"), utf8("1"))));
    assertThrows(
        InvalidRecordException.class, () -> s.put(KadRecord.of(utf8("/v/a"), new byte[17])));
    assertThrows(InvalidRecordException.class, () -> s.put(KadRecord.of(new byte[0], utf8("1"))));
    assertThrows(InvalidRecordException.class, () -> s.put(KadRecord.of(new byte[257], utf8("1"))));
    assertEquals(0, s.size());
  }

  @Test
  void expiryAndTotalCap() throws Exception {
    RecordStore s =
        new RecordStore(KadConfig.builder().maxRecords(2).build().recordLimits(), validator, clock);
    s.put(KadRecord.of(utf8("/v/a"), utf8("1")));
    s.put(KadRecord.of(utf8("/v/b"), utf8("1")));
    assertThrows(InvalidRecordException.class, () -> s.put(KadRecord.of(utf8("/v/c"), utf8("1"))));
    assertEquals(RecordStore.PutResult.STORED, s.put(KadRecord.of(utf8("/v/a"), utf8("5"))));
    clock.advance(Duration.ofHours(36));
    assertTrue(s.get(utf8("/v/a")).isEmpty());
    assertEquals(RecordStore.PutResult.STORED, s.put(KadRecord.of(utf8("/v/c"), utf8("1"))));
    assertEquals(2, s.size()); // c, and b expired but not yet pruned
    assertEquals(1, s.prune());
    assertEquals(1, s.size());
    s.put(KadRecord.of(utf8("/v/d"), utf8("9")));
    clock.advance(Duration.ofHours(36));
    // An expired record is replaced even by a "worse" value.
    assertEquals(RecordStore.PutResult.STORED, s.put(KadRecord.of(utf8("/v/d"), utf8("1"))));
    assertArrayEquals(utf8("1"), s.get(utf8("/v/d")).orElseThrow().value().toByteArray());
  }

  @Test
  void publicKeyNamespace() throws Exception {
    Ed25519PublicKey key = Ed25519PrivateKey.fromSeed(new byte[32]).publicKey();
    PeerId id = PeerId.fromPublicKey(key);
    byte[] pkKey = concat(utf8("/pk/"), id.toBytes());
    RecordStore s =
        new RecordStore(
            KadConfig.defaults().recordLimits(), NamespacedValidator.withPublicKeys(), clock);
    assertEquals(RecordStore.PutResult.STORED, s.put(KadRecord.of(pkKey, key.marshal())));
    byte[] otherKey =
        Ed25519PrivateKey.fromSeed(
                new byte[] {
                  1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                  0, 0, 0, 0, 0
                })
            .publicKey()
            .marshal();
    assertThrows(InvalidRecordException.class, () -> s.put(KadRecord.of(pkKey, otherKey)));
    assertThrows(InvalidRecordException.class, () -> s.put(KadRecord.of(pkKey, utf8("garbage"))));
    assertFalse(s.get(pkKey).isEmpty());
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
