package io.phase.core.receipt;

/**
 * A receipt or result could not be parsed: malformed JSON, unknown/missing fields, wrong types,
 * out-of-range values ({@link Verification.Reason#MALFORMED}) or an unsupported schema version
 * ({@link Verification.Reason#SCHEMA}).
 */
public final class ReceiptFormatException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final Verification.Reason reason;

  public ReceiptFormatException(Verification.Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public ReceiptFormatException(Verification.Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  /** {@link Verification.Reason#MALFORMED} or {@link Verification.Reason#SCHEMA}. */
  public Verification.Reason reason() {
    return reason;
  }
}
