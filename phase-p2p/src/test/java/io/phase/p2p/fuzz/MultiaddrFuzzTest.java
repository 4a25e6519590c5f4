package io.phase.p2p.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.phase.p2p.multiaddr.Multiaddr;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Multiaddr text and binary parsing. Property: whatever parses prints and re-parses (both forms) to
 * an equal value; binary input that parses is the canonical encoding; accessors never throw
 * anything but their documented rejection.
 */
class MultiaddrFuzzTest {

  @FuzzTest(maxDuration = "30s")
  void parseText(byte[] utf8) throws Exception {
    // Plain UTF-8 (not Jazzer's string encoding) so committed seeds are readable text files.
    String text = new String(utf8, StandardCharsets.UTF_8);
    Optional<Multiaddr> addr =
        Decoding.decodeOrReject(text, Multiaddr::parse, IllegalArgumentException.class);
    if (addr.isPresent()) {
      check(addr.get());
    }
  }

  @FuzzTest(maxDuration = "30s")
  void fromBytes(byte[] bytes) throws Exception {
    Optional<Multiaddr> addr =
        Decoding.decodeOrReject(bytes, Multiaddr::fromBytes, IllegalArgumentException.class);
    if (addr.isPresent()) {
      Decoding.assertCanonical(bytes, addr.get(), Multiaddr::toBytes);
      check(addr.get());
    }
  }

  private static void check(Multiaddr addr) throws Exception {
    Decoding.assertRoundTrip(addr, Multiaddr::toString, Multiaddr::parse);
    Decoding.assertRoundTrip(addr, Multiaddr::toBytes, Multiaddr::fromBytes);
    String printed = addr.toString();
    assertEquals(printed, Multiaddr.parse(printed).toString(), "printing is not stable");
    assertTrue(addr.toBytes().length <= Multiaddr.MAX_LENGTH, "accepted an over-long multiaddr");
    Decoding.decodeOrReject(addr, Multiaddr::peerId, IllegalArgumentException.class);
    Decoding.decodeOrReject(addr, Multiaddr::toSocketAddress, IllegalArgumentException.class);
    Decoding.decodeOrReject(addr, Multiaddr::withoutP2p, IllegalArgumentException.class);
    addr.isTcp();
  }
}
