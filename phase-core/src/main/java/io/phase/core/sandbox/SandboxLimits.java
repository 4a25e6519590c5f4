package io.phase.core.sandbox;

import java.time.Duration;
import java.util.Objects;

/**
 * The hard limits of one guest run. They come from the host (the caller's request clamped by the
 * operator's maximums, see {@link #clampTo}), never from the module.
 *
 * @param memoryMb largest linear memory the guest may have, in MiB (WASM pages are 64 KiB)
 * @param timeout wall-clock time from the start of instantiation to the end of the run
 * @param maxOutputBytes stdout and stderr together; past this the run is stopped
 * @param maxModuleBytes largest module accepted
 * @param maxWorkspaceBytes total bytes copied into or out of a mapped directory
 * @param maxWorkspaceFiles files and directories copied into or out of a mapped directory
 */
public record SandboxLimits(
    int memoryMb,
    Duration timeout,
    long maxOutputBytes,
    long maxModuleBytes,
    long maxWorkspaceBytes,
    int maxWorkspaceFiles) {

  /**
   * WASM linear memory cannot exceed 4 GiB: the bound of memory sizes in the protocol and receipts.
   * This engine runs at most {@link #ENGINE_MAX_MEMORY_MB}.
   */
  public static final int MAX_MEMORY_MB = 4096;

  /**
   * The largest memory this sandbox can give a guest: 2047 MiB. Chicory addresses guest memory with
   * Java {@code int}s (its compiled code turns an address at or past 2 GiB into an out-of-bounds
   * trap, and its {@code Memory} interface caps memories at 32767 pages), so anything from 2048 MiB
   * up is refused before a run starts rather than failing inside it.
   */
  public static final int ENGINE_MAX_MEMORY_MB = 2047;

  /** Why a memory above {@link #ENGINE_MAX_MEMORY_MB} is refused, in one line. */
  public static String engineMemoryRefusal(long memoryMb) {
    return memoryMb
        + " MiB of guest memory is more than this sandbox can run: at most "
        + ENGINE_MAX_MEMORY_MB
        + " MiB (the Chicory engine addresses memory with 32-bit signed offsets)";
  }

  /**
   * The longest wall-clock limit anything may ask for or allow: the receipt's {@code timeout_ms}
   * and the job offer's {@code timeout_seconds} stop there.
   */
  public static final Duration MAX_TIMEOUT = Duration.ofHours(1);

  /** Largest output limit anything may ask for (2^40 bytes, as in the receipt). */
  public static final long MAX_OUTPUT_BYTES = 1L << 40;

  /** What a run gets when nobody asks for anything. */
  public static final SandboxLimits DEFAULTS =
      new SandboxLimits(256, Duration.ofSeconds(60), 16L << 20, 64L << 20, 256L << 20, 10_000);

  /** The most an operator of this build allows unless configured otherwise. */
  public static final SandboxLimits OPERATOR_DEFAULT_MAXIMUMS =
      new SandboxLimits(ENGINE_MAX_MEMORY_MB, MAX_TIMEOUT, 1L << 30, 256L << 20, 1L << 30, 100_000);

  public SandboxLimits {
    Objects.requireNonNull(timeout, "timeout");
    if (memoryMb < 1 || memoryMb > MAX_MEMORY_MB) {
      throw new IllegalArgumentException(
          "memory must be between 1 and " + MAX_MEMORY_MB + " MiB, got " + memoryMb);
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, got " + timeout);
    }
    if (maxOutputBytes < 0
        || maxModuleBytes < 8
        || maxWorkspaceBytes < 0
        || maxWorkspaceFiles < 0) {
      throw new IllegalArgumentException("limits must not be negative");
    }
  }

  /** Each limit lowered to the operator's maximum where it exceeds it. */
  public SandboxLimits clampTo(SandboxLimits max) {
    return new SandboxLimits(
        Math.min(memoryMb, max.memoryMb),
        timeout.compareTo(max.timeout) > 0 ? max.timeout : timeout,
        Math.min(maxOutputBytes, max.maxOutputBytes),
        Math.min(maxModuleBytes, max.maxModuleBytes),
        Math.min(maxWorkspaceBytes, max.maxWorkspaceBytes),
        Math.min(maxWorkspaceFiles, max.maxWorkspaceFiles));
  }

  /** The memory cap in 64 KiB WASM pages. */
  public int memoryPages() {
    return memoryMb * 16;
  }

  public SandboxLimits withMemoryMb(int value) {
    return new SandboxLimits(
        value, timeout, maxOutputBytes, maxModuleBytes, maxWorkspaceBytes, maxWorkspaceFiles);
  }

  public SandboxLimits withTimeout(Duration value) {
    return new SandboxLimits(
        memoryMb, value, maxOutputBytes, maxModuleBytes, maxWorkspaceBytes, maxWorkspaceFiles);
  }

  public SandboxLimits withMaxOutputBytes(long value) {
    return new SandboxLimits(
        memoryMb, timeout, value, maxModuleBytes, maxWorkspaceBytes, maxWorkspaceFiles);
  }

  public SandboxLimits withMaxModuleBytes(long value) {
    return new SandboxLimits(
        memoryMb, timeout, maxOutputBytes, value, maxWorkspaceBytes, maxWorkspaceFiles);
  }

  public SandboxLimits withWorkspace(long bytes, int files) {
    return new SandboxLimits(memoryMb, timeout, maxOutputBytes, maxModuleBytes, bytes, files);
  }
}
