package io.phase.core.step;

import io.phase.core.sandbox.SandboxLimits;

/**
 * What a step gets for each limit it does not set (a CI system's configuration, e.g. the Jenkins
 * cloud). Checked with the same bounds as a step's own values.
 *
 * @param memoryMb guest memory, MiB
 * @param timeoutSeconds wall-clock limit of the guest, seconds
 * @param maxOutputMb stdout + stderr, MiB
 * @param retries other workers to try after a failed attempt
 */
public record StepDefaults(int memoryMb, long timeoutSeconds, long maxOutputMb, int retries) {
  /** The defaults of {@code phase run}. */
  public static final StepDefaults STANDARD =
      new StepDefaults(
          SandboxLimits.DEFAULTS.memoryMb(),
          SandboxLimits.DEFAULTS.timeout().toSeconds(),
          SandboxLimits.DEFAULTS.maxOutputBytes() >> 20,
          2);

  /** Checks each value; the message names the value and its range. */
  public StepDefaults {
    StepBounds.memoryMb("memoryMb", memoryMb);
    StepBounds.timeoutSeconds("timeoutS", timeoutSeconds);
    StepBounds.maxOutputMb("maxOutputMb", maxOutputMb);
    StepBounds.retries("retries", retries);
  }
}
