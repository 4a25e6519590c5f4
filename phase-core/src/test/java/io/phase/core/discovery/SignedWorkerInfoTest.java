package io.phase.core.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.phase.core.identity.NodeKey;
import io.phase.core.json.Json;
import io.phase.core.receipt.CanonicalJson;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class SignedWorkerInfoTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final Duration AGE = SignedWorkerInfo.DEFAULT_MAX_AGE;
  private final NodeKey key = NodeKey.generate();
  private final NodeKey other = NodeKey.generate();

  private WorkerInfo info(NodeKey k, Instant at) {
    return new WorkerInfo(
        k.peerId(), "x86_64", 8, 16384, "chicory", "1.7.5", 4096, 3_600_000, 256L << 20, 1, 2, at);
  }

  @Test
  void roundTripsAndIsCanonical() throws Exception {
    WorkerInfo info = info(key, NOW.minusSeconds(10));
    byte[] doc = SignedWorkerInfo.sign(key, info);
    assertEquals(info, SignedWorkerInfo.verify(doc, key.peerId(), NOW, AGE));
    assertTrue(doc.length < SignedWorkerInfo.MAX_BYTES);
    String text = new String(doc, StandardCharsets.UTF_8);
    assertTrue(text.startsWith("{\"info\":{\"arch\":\"x86_64\",\"cpu_cores\":8,"), text);
    // The signature covers the domain string plus canonical info.
    ObjectNode parsed = (ObjectNode) Json.parse(doc, SignedWorkerInfo.MAX_BYTES);
    byte[] sig = HexFormat.of().parseHex(parsed.get("signature").textValue());
    byte[] signed =
        (SignedWorkerInfo.DOMAIN
                + new String(CanonicalJson.write(parsed.get("info")), StandardCharsets.UTF_8))
            .getBytes(StandardCharsets.UTF_8);
    assertTrue(key.publicKey().verify(signed, sig));
  }

  private static String reason(byte[] doc, NodeKey expected) {
    return assertThrows(
            WorkerInfoException.class,
            () -> SignedWorkerInfo.verify(doc, expected.peerId(), NOW, AGE))
        .getMessage();
  }

  @Test
  void refusesAnotherPeersDetails() {
    byte[] doc = SignedWorkerInfo.sign(other, info(other, NOW));
    assertTrue(reason(doc, key).contains("expected"), reason(doc, key));
  }

  @Test
  void refusesTamperedOrForgedDetails() throws Exception {
    byte[] doc = SignedWorkerInfo.sign(key, info(key, NOW));
    ObjectNode parsed = (ObjectNode) Json.parse(doc, SignedWorkerInfo.MAX_BYTES);
    ((ObjectNode) parsed.get("info")).put("cpu_cores", 64);
    assertTrue(reason(CanonicalJson.write(parsed), key).contains("bad signature"));

    // Details naming `key`'s peer but signed by another key.
    ObjectNode forged = (ObjectNode) Json.parse(doc, SignedWorkerInfo.MAX_BYTES);
    byte[] sig = other.sign(SignedWorkerInfo.signedBytes(forged.get("info")));
    forged.put("signature", HexFormat.of().formatHex(sig));
    assertTrue(reason(CanonicalJson.write(forged), key).contains("bad signature"));

    ObjectNode extra = (ObjectNode) Json.parse(doc, SignedWorkerInfo.MAX_BYTES);
    extra.put("note", "x");
    assertTrue(reason(CanonicalJson.write(extra), key).contains("\"info\" and \"signature\""));

    ObjectNode badHex = (ObjectNode) Json.parse(doc, SignedWorkerInfo.MAX_BYTES);
    badHex.put("signature", "zz");
    assertTrue(reason(CanonicalJson.write(badHex), key).contains("hex"));

    ObjectNode badField = (ObjectNode) Json.parse(doc, SignedWorkerInfo.MAX_BYTES);
    ((ObjectNode) badField.get("info")).put("arch", "riscv64");
    assertTrue(reason(CanonicalJson.write(badField), key).contains("arch"));

    assertTrue(reason(new byte[SignedWorkerInfo.MAX_BYTES + 1], key).contains("too large"));
    assertTrue(reason("[]".getBytes(StandardCharsets.UTF_8), key).contains("object"));
  }

  @Test
  void refusesStaleAndFutureDetails() {
    byte[] stale = SignedWorkerInfo.sign(key, info(key, NOW.minus(AGE).minusSeconds(1)));
    assertTrue(reason(stale, key).contains("stale"));
    byte[] future =
        SignedWorkerInfo.sign(
            key, info(key, NOW.plus(SignedWorkerInfo.MAX_CLOCK_SKEW).plusSeconds(1)));
    assertTrue(reason(future, key).contains("future"));
  }

  @Test
  void signingRefusesDetailsOfAnotherPeer() {
    assertThrows(
        IllegalArgumentException.class, () -> SignedWorkerInfo.sign(key, info(other, NOW)));
  }
}
