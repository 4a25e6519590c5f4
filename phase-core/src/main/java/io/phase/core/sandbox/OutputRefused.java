package io.phase.core.sandbox;

/**
 * Thrown by an {@link OutputListener} that cannot take a chunk while the guest is being stopped
 * (cancel or deadline): the chunk is not folded into the output commitment, the guest's write fails
 * and the run ends (its outcome comes from why it was being stopped).
 */
public final class OutputRefused extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public OutputRefused(String message) {
    super(message, null, false, false);
  }
}
