package io.phase.p2p.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.phase.p2p.peer.PeerId;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** PeerId parsing from text (base58btc, CIDv1) and binary (multihash). */
class PeerIdFuzzTest {

  @FuzzTest(maxDuration = "30s")
  void parseText(byte[] utf8) throws Exception {
    // Plain UTF-8 (not Jazzer's string encoding) so committed seeds are readable text files.
    String text = new String(utf8, StandardCharsets.UTF_8);
    Optional<PeerId> id =
        Decoding.decodeOrReject(text, PeerId::parse, IllegalArgumentException.class);
    id.ifPresent(PeerIdFuzzTest::checkForms);
  }

  @FuzzTest(maxDuration = "30s")
  void fromBytes(byte[] bytes) throws Exception {
    Optional<PeerId> id =
        Decoding.decodeOrReject(bytes, PeerId::fromBytes, IllegalArgumentException.class);
    if (id.isPresent()) {
      Decoding.assertCanonical(bytes, id.get(), PeerId::toBytes);
      checkForms(id.get());
    }
  }

  /** Every printed and binary form of an accepted id parses back to the same id. */
  private static void checkForms(PeerId id) {
    try {
      Decoding.assertRoundTrip(id, PeerId::toBytes, PeerId::fromBytes);
      Decoding.assertRoundTrip(id, PeerId::toBase58, PeerId::parse);
      Decoding.assertRoundTrip(id, PeerId::toCidString, PeerId::parse);
    } catch (Exception e) {
      throw new AssertionError("printed form of an accepted peer id does not parse: " + id, e);
    }
    assertEquals(id.toBase58(), id.toString());
    id.publicKey().ifPresent(key -> assertTrue(id.matches(key), "embedded key does not match"));
  }
}
