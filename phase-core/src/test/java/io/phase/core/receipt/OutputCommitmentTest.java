package io.phase.core.receipt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class OutputCommitmentTest {

  private static byte[] sha256(byte[]... parts) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    for (byte[] p : parts) {
      md.update(p);
    }
    return md.digest();
  }

  @Test
  void matchesTheSpecifiedChainComputedIndependently() throws Exception {
    byte[] state0 = sha256("phase-protocol:v1:commitment".getBytes(StandardCharsets.US_ASCII));
    byte[] hello = "hello\n".getBytes(StandardCharsets.UTF_8);
    byte[] state1 =
        sha256(
            state0,
            ByteBuffer.allocate(8).putLong(0).array(),
            ByteBuffer.allocate(4).putInt(6).array(),
            "stdout".getBytes(StandardCharsets.US_ASCII),
            ByteBuffer.allocate(4).putInt(hello.length).array(),
            hello);
    byte[] state2 =
        sha256(
            state1,
            ByteBuffer.allocate(8).putLong(1).array(),
            ByteBuffer.allocate(4).putInt(6).array(),
            "stderr".getBytes(StandardCharsets.US_ASCII),
            ByteBuffer.allocate(4).putInt(0).array());

    OutputCommitment c = new OutputCommitment();
    assertEquals(HexFormat.of().formatHex(state0), c.hex());
    byte[] padded = new byte[10];
    System.arraycopy(hello, 0, padded, 2, hello.length);
    assertEquals(0, c.append("stdout", padded, 2, hello.length));
    assertEquals(HexFormat.of().formatHex(state1), c.hex());
    assertEquals(1, c.append("stderr", new byte[0], 0, 0));
    assertEquals(HexFormat.of().formatHex(state2), c.hex());
    assertEquals(2, c.chunkCount());
    OutputSummary s = c.summary();
    assertEquals(6, s.stdoutBytes());
    assertEquals(0, s.stderrBytes());
    assertEquals(2, s.chunks());
  }

  @Test
  void kindAndBoundariesMatter() {
    OutputCommitment a = new OutputCommitment();
    a.append("stdout", new byte[] {1, 2}, 0, 2);
    OutputCommitment b = new OutputCommitment();
    b.append("stderr", new byte[] {1, 2}, 0, 2);
    OutputCommitment c = new OutputCommitment();
    c.append("stdout", new byte[] {1}, 0, 1);
    c.append("stdout", new byte[] {2}, 0, 1);
    assertNotEquals(a.hex(), b.hex());
    assertNotEquals(a.hex(), c.hex());
    assertThrows(IllegalArgumentException.class, () -> a.append("stdin", new byte[0], 0, 0));
    assertThrows(IndexOutOfBoundsException.class, () -> a.append("stdout", new byte[1], 0, 2));
  }
}
