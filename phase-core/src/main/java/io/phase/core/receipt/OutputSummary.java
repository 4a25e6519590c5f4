package io.phase.core.receipt;

import io.phase.p2p.bytes.Bytes;
import java.util.Objects;

/**
 * What an output stream amounts to: the final commitment state, the chunk count and the byte totals
 * per kind. Produced by {@link OutputCommitment#summary()} on both sides and compared by the
 * verifier against the result's {@code output} object.
 */
public record OutputSummary(Bytes commitment, long chunks, long stdoutBytes, long stderrBytes) {

  /** Validates lengths and ranges. */
  public OutputSummary {
    Objects.requireNonNull(commitment, "commitment");
    if (commitment.length() != OutputCommitment.DIGEST_LENGTH) {
      throw new IllegalArgumentException("commitment must be 32 bytes");
    }
    if (chunks < 0 || stdoutBytes < 0 || stderrBytes < 0) {
      throw new IllegalArgumentException("output counts must be non-negative");
    }
  }

  /** A summary holding a copy of {@code commitment}. */
  public OutputSummary(byte[] commitment, long chunks, long stdoutBytes, long stderrBytes) {
    this(Bytes.copyOf(commitment), chunks, stdoutBytes, stderrBytes);
  }

  /** Lowercase hex of the commitment. */
  public String commitmentHex() {
    return commitment.hex();
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
