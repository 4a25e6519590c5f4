package io.phase.core.step;

import io.phase.core.sandbox.SandboxLimits;

/** The ranges a step's limits must fall in (those of {@code phase run}'s options). */
final class StepBounds {
  static final long MAX_TIMEOUT_SECONDS = SandboxLimits.MAX_TIMEOUT.toSeconds();
  static final long MAX_OUTPUT_MB = 1 << 20;
  static final int MAX_RETRIES = 16;
  static final int MAX_ARGS = 4096;
  static final int MAX_ENV = 1024;

  private StepBounds() {}

  static int memoryMb(String name, int value) {
    return (int) range(name, value, 1, SandboxLimits.MAX_MEMORY_MB);
  }

  static long timeoutSeconds(String name, long value) {
    return range(name, value, 1, MAX_TIMEOUT_SECONDS);
  }

  static long maxOutputMb(String name, long value) {
    return range(name, value, 0, MAX_OUTPUT_MB);
  }

  static int retries(String name, int value) {
    return (int) range(name, value, 0, MAX_RETRIES);
  }

  private static long range(String name, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          name + " must be between " + min + " and " + max + ", not " + value);
    }
    return value;
  }
}
