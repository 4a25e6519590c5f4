package io.phase.core.sandbox;

/** Thrown into the guest's write when its output passes the cap; it ends the run. */
final class OutputLimitExceeded extends RuntimeException {
  private static final long serialVersionUID = 1L;

  OutputLimitExceeded(long maxBytes) {
    super("output exceeded the limit of " + maxBytes + " bytes", null, false, false);
  }
}
