package io.phase.core.sandbox.memory;

/** The module asks for more memory at instantiation than the run's cap allows. */
public final class MemoryLimitAtStart extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MemoryLimitAtStart(String message) {
    super(message, null, false, false);
  }
}
