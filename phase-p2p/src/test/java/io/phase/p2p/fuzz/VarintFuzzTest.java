package io.phase.p2p.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.phase.p2p.multiformats.Varint;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;

/**
 * Unsigned varint decoding: strict (minimal, at most 9 bytes) and consistent across entry points.
 */
class VarintFuzzTest {

  @FuzzTest(maxDuration = "30s")
  void decode(byte[] data) throws Exception {
    Optional<Varint.Decoded> decoded =
        Decoding.decodeOrReject(
            data, d -> Varint.decode(d, 0, d.length), IllegalArgumentException.class);
    ByteBuffer buffer = ByteBuffer.wrap(data);
    long streamed;
    try {
      streamed = Varint.read(buffer);
    } catch (IllegalArgumentException e) {
      // The incremental reader rejects only what the array decoder rejects too.
      assertTrue(decoded.isEmpty(), "read() rejected what decode() accepted: " + e.getMessage());
      return;
    }
    if (decoded.isEmpty()) {
      // Rejected by decode(): the stream reader may only say "not complete yet".
      assertEquals(-1, streamed, "read() accepted what decode() rejected");
      assertEquals(0, buffer.position(), "read() consumed bytes of an incomplete varint");
      return;
    }
    Varint.Decoded value = decoded.get();
    assertTrue(value.value() >= 0, "negative varint value " + value.value());
    assertEquals(value.value(), streamed);
    assertEquals(value.length(), buffer.position());
    assertEquals(value.length(), Varint.encodedLength(value.value()));
    assertArrayEquals(Arrays.copyOf(data, value.length()), Varint.encode(value.value()));
  }
}
