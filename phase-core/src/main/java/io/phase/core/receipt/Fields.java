package io.phase.core.receipt;

import io.phase.core.json.StrictFields;

/** The receipt format's strict JSON readers: every failure is {@code MALFORMED}. */
final class Fields {
  static final StrictFields READ = new StrictFields(Fields::malformed);

  private Fields() {}

  static ReceiptFormatException malformed(String message) {
    return new ReceiptFormatException(Verification.Reason.MALFORMED, message);
  }
}
