package io.phase.core.receipt;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * What an output stream amounts to: the final commitment state, the chunk count and the byte totals
 * per kind. Produced by {@link OutputCommitment#summary()} on both sides and compared by the
 * verifier against the result's {@code output} object.
 */
public record OutputSummary(byte[] commitment, long chunks, long stdoutBytes, long stderrBytes) {

  /** Validates lengths and ranges; copies the digest. */
  public OutputSummary {
    if (commitment.length != OutputCommitment.DIGEST_LENGTH) {
      throw new IllegalArgumentException("commitment must be 32 bytes");
    }
    if (chunks < 0 || stdoutBytes < 0 || stderrBytes < 0) {
      throw new IllegalArgumentException("output counts must be non-negative");
    }
    commitment = commitment.clone();
  }

  @Override
  public byte[] commitment() {
    return commitment.clone();
  }

  /** Lowercase hex of the commitment. */
  public String commitmentHex() {
    return HexFormat.of().formatHex(commitment);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OutputSummary other
        && Arrays.equals(commitment, other.commitment)
        && chunks == other.chunks
        && stdoutBytes == other.stdoutBytes
        && stderrBytes == other.stderrBytes;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(commitment) * 31 + Long.hashCode(chunks);
  }

  @Override
  public String toString() {
    return "OutputSummary[commitment="
        + commitmentHex()
        + ", chunks="
        + chunks
        + ", stdoutBytes="
        + stdoutBytes
        + ", stderrBytes="
        + stderrBytes
        + "]";
  }
}
