package io.phase.core.receipt;

import java.util.Objects;

/**
 * The outcome of {@link ReceiptVerifier#verify}: {@link Reason#OK}, or the first check that failed
 * with a one-line human message.
 */
public record Verification(Reason reason, String message) {

  /** Why verification failed; {@link #OK} when it did not. */
  public enum Reason {
    /** Every check passed. */
    OK,
    /** The receipt is not well-formed JSON of the expected shape, or a value is out of range. */
    MALFORMED,
    /** {@code schema_version} is not 1. */
    SCHEMA,
    /** The signature does not verify for {@code worker_pubkey} over the signed message. */
    BAD_SIGNATURE,
    /** The envelope and result job ids differ, or differ from the expected job id. */
    JOB_ID_MISMATCH,
    /** {@code result.worker} is not {@code worker_pubkey}'s peer, or not the expected worker. */
    WORKER_MISMATCH,
    /** The result's module hash differs from the expected module. */
    MODULE_MISMATCH,
    /** The replayed output (commitment, chunk count or byte totals) differs from the result. */
    OUTPUT_MISMATCH,
    /** The result's input trees (paths, digests, access) differ from the expected ones. */
    INPUT_MISMATCH,
    /** An output tree (its guest path or Merkle digest) differs from the one the result names. */
    OUTPUT_TREE_MISMATCH
  }

  public Verification {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(message, "message");
  }

  /** A passing verification. */
  public static Verification ok() {
    return new Verification(Reason.OK, "receipt verified");
  }

  /** A failed verification. */
  public static Verification fail(Reason reason, String message) {
    if (reason == Reason.OK) {
      throw new IllegalArgumentException("a failure needs a failure reason");
    }
    return new Verification(reason, message);
  }

  /** Whether every check passed. */
  public boolean isOk() {
    return reason == Reason.OK;
  }
}
