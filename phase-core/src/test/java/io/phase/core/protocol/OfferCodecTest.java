package io.phase.core.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phase.core.identity.NodeKey;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class OfferCodecTest {
  static final String HASH = "sha256:" + "ab".repeat(32);
  static final String OFFER =
      "{\"job_id\":\"job-1\",\"nonce\":\"n0nce\",\"module_hash\":\""
          + HASH
          + "\",\"requirements\":{\"cpu_cores\":1,\"memory_mb\":128,\"timeout_seconds\":30,"
          + "\"arch\":\"x86_64\",\"wasm_runtime\":\"wasmtime\"}}";

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String offerWith(String from, String to) {
    String changed = OFFER.replace(from, to);
    assertTrue(!changed.equals(OFFER), "test replaces something");
    return changed;
  }

  static ProtocolException refused(String json) {
    return assertThrows(ProtocolException.class, () -> OfferCodec.decodeRequest(utf8(json)));
  }

  @Test
  void offerRoundTripsExactly() {
    JobOffer offer = OfferCodec.decodeRequest(utf8(OFFER));
    assertEquals(
        new JobOffer(
            "job-1", "n0nce", HASH, new JobOffer.Requirements(1, 128, 30, "x86_64", "wasmtime")),
        offer);
    assertEquals(OFFER, new String(OfferCodec.encodeRequest(offer), StandardCharsets.UTF_8));
    assertEquals(offer, OfferCodec.decodeRequest(OfferCodec.encodeRequest(offer)));
  }

  @Test
  void unknownFieldsAreIgnoredLikeSerde() {
    String json =
        OFFER
            .replace("{\"job_id\"", "{\"priority\":[1,{\"x\":2}],\"job_id\"")
            .replace("\"arch\"", "\"gpu\":false,\"arch\"");
    assertEquals(OfferCodec.decodeRequest(utf8(OFFER)), OfferCodec.decodeRequest(utf8(json)));
  }

  @Test
  void requiredFieldsAndTypesAreStrict() {
    assertTrue(refused(offerWith("\"nonce\":\"n0nce\",", "")).getMessage().contains("\"nonce\""));
    assertTrue(
        refused(offerWith("\"memory_mb\":128", "\"memory_mb\":\"128\""))
            .getMessage()
            .contains("memory_mb must be an integer"));
    refused(offerWith("\"memory_mb\":128", "\"memory_mb\":128.0"));
    refused(offerWith("\"memory_mb\":128", "\"memory_mb\":null"));
    refused(offerWith("\"memory_mb\":128", "\"memory_mb\":-1"));
    refused(offerWith("\"cpu_cores\":1", "\"cpu_cores\":4294967296"));
    refused(offerWith("\"timeout_seconds\":30", "\"timeout_seconds\":99999999999999999999"));
    refused(offerWith("\"job_id\":\"job-1\"", "\"job_id\":1"));
    refused(offerWith("\"job_id\":\"job-1\"", "\"job_id\":\"\""));
    refused(offerWith("\"job_id\":\"job-1\"", "\"job_id\":\"" + "x".repeat(129) + "\""));
    refused(offerWith("\"nonce\":\"n0nce\"", "\"nonce\":\"has space\""));
    refused(offerWith(HASH, HASH.toUpperCase()));
    refused(offerWith(HASH, "sha256:abc"));
    refused(offerWith("\"arch\":\"x86_64\"", "\"arch\":\"x86 64\""));
    refused(offerWith("\"requirements\":{", "\"requirements\":[{").replace("}}", "}]}"));
    refused("[]");
    refused("");
  }

  @Test
  void jsonHardeningApplies() {
    assertTrue(
        refused(OFFER.replace("{\"job_id\"", "{\"nonce\":\"a\",\"job_id\""))
            .getMessage()
            .contains("job offer"));
    refused(OFFER + "{}");
    byte[] big = new byte[OfferCodec.MAX_REQUEST_BYTES + 1];
    java.util.Arrays.fill(big, (byte) ' ');
    assertTrue(
        assertThrows(ProtocolException.class, () -> OfferCodec.decodeRequest(big))
            .getMessage()
            .contains("too large"));
  }

  @Test
  void responsesRoundTripExactly() {
    String peer = NodeKey.generate().peerId().toBase58();
    for (String json :
        List.of(
            "{\"Accepted\":{\"job_id\":\"job-1\",\"estimated_start\":1730991600,\"node_peer_id\":\""
                + peer
                + "\"}}",
            "{\"Rejected\":{\"job_id\":\"job-1\",\"reason\":{\"InsufficientResources\":{\"missing\":\"memory\"}}}}",
            "{\"Rejected\":{\"job_id\":\"job-1\",\"reason\":{\"ArchMismatch\":{\"required\":\"aarch64\",\"available\":\"x86_64\"}}}}",
            "{\"Rejected\":{\"job_id\":\"job-1\",\"reason\":{\"RuntimeNotSupported\":{\"required\":\"wasmer\"}}}}",
            "{\"Rejected\":{\"job_id\":\"job-1\",\"reason\":\"QueueFull\"}}",
            "{\"Rejected\":{\"job_id\":\"\",\"reason\":{\"InvalidRequest\":{\"details\":\"bad \\\"x\\\"\\n\"}}}}")) {
      JobResponse response = OfferCodec.decodeResponse(utf8(json));
      assertEquals(json, new String(OfferCodec.encodeResponse(response), StandardCharsets.UTF_8));
    }
  }

  @Test
  void responseVariantsAreStrict() {
    assertInstanceOf(
        RejectReason.QueueFull.class,
        ((JobResponse.Rejected)
                OfferCodec.decodeResponse(
                    utf8("{\"Rejected\":{\"job_id\":\"j\",\"reason\":{\"QueueFull\":null}}}")))
            .reason());
    for (String bad :
        List.of(
            "{}",
            "\"Accepted\"",
            "{\"Accepted\":{\"job_id\":\"j\",\"estimated_start\":1,\"node_peer_id\":\"12D3KooWnotapeer\"}}",
            "{\"Accepted\":{\"job_id\":\"j\",\"estimated_start\":-5,\"node_peer_id\":\"x\"}}",
            "{\"Accepted\":{},\"Rejected\":{}}",
            "{\"Maybe\":{\"job_id\":\"j\"}}",
            "{\"Rejected\":{\"job_id\":\"j\",\"reason\":\"Busy\"}}",
            "{\"Rejected\":{\"job_id\":\"j\",\"reason\":{\"QueueFull\":{}}}}",
            "{\"Rejected\":{\"job_id\":\"j\",\"reason\":{\"ArchMismatch\":{\"required\":\"a\"}}}}",
            "{\"Rejected\":{\"job_id\":\"j\",\"reason\":{\"InvalidRequest\":{\"details\":\""
                + "d".repeat(1025)
                + "\"}}}}")) {
      assertThrows(ProtocolException.class, () -> OfferCodec.decodeResponse(utf8(bad)), bad);
    }
  }

  @Test
  void malformedOfferGetsInvalidRequestWithItsJobId() {
    byte[] bad = utf8(offerWith("\"memory_mb\":128", "\"memory_mb\":\"lots\""));
    ProtocolException e =
        assertThrows(ProtocolException.class, () -> OfferCodec.decodeRequest(bad));
    JobResponse.Rejected r = OfferCodec.rejectMalformed(bad, e);
    assertEquals("job-1", r.jobId());
    assertTrue(((RejectReason.InvalidRequest) r.reason()).details().contains("memory_mb"));
    assertEquals("", OfferCodec.rejectMalformed(utf8("not json"), e).jobId());
    OfferCodec.decodeResponse(OfferCodec.encodeResponse(r));
  }

  @Test
  void readToEndEnforcesTheCap() throws Exception {
    byte[] exact = new byte[100];
    assertArrayEquals(exact, OfferCodec.readToEnd(new ByteArrayInputStream(exact), 100));
    assertThrows(
        ProtocolException.class,
        () -> OfferCodec.readToEnd(new ByteArrayInputStream(new byte[101]), 100));
    EofCollector c = new EofCollector(10);
    c.append(ByteBuffer.wrap(new byte[6]));
    assertThrows(ProtocolException.class, () -> c.append(new byte[5], 0, 5));
    c.append(new byte[4], 0, 4);
    assertEquals(10, c.toByteArray().length);
  }
}
