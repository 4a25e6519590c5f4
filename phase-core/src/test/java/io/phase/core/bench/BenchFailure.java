package io.phase.core.bench;

/** A run that did not do what the benchmark expects; its figures would be meaningless. */
final class BenchFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  BenchFailure(String message) {
    super(message);
  }
}
