package io.phase.core.sandbox;

/** The module asks for more memory at instantiation than the run's cap allows. */
final class MemoryLimitAtStart extends RuntimeException {
  private static final long serialVersionUID = 1L;

  MemoryLimitAtStart(String message) {
    super(message, null, false, false);
  }
}
