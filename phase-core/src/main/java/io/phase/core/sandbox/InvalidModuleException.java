package io.phase.core.sandbox;

/** The module cannot run here: not WASM, malformed, too large, or not a WASI command we serve. */
public final class InvalidModuleException extends Exception {
  private static final long serialVersionUID = 1L;

  public InvalidModuleException(String message) {
    super(message);
  }

  public InvalidModuleException(String message, Throwable cause) {
    super(message, cause);
  }
}
