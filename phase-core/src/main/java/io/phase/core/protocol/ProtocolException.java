package io.phase.core.protocol;

/**
 * A peer sent something this side must refuse: a malformed, oversize, unknown or out-of-order
 * message. The message says what and why and is safe to log (untrusted text is sanitised). {@link
 * #code()} is what a worker reports in an {@code ERROR} frame.
 */
public final class ProtocolException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final RunMessage.ErrorCode code;

  public ProtocolException(String message) {
    this(RunMessage.ErrorCode.PROTOCOL, message);
  }

  public ProtocolException(RunMessage.ErrorCode code, String message) {
    super(message);
    this.code = code;
  }

  public ProtocolException(String message, Throwable cause) {
    super(message, cause);
    this.code = RunMessage.ErrorCode.PROTOCOL;
  }

  /** The error code a worker sends for this failure. */
  public RunMessage.ErrorCode code() {
    return code;
  }
}
