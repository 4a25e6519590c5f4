package io.phase.cli;

import io.phase.core.sandbox.SandboxConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --compiled-cache DIR} and {@code --compiled-cache-mb N}: where compiled modules are kept
 * on disk, so a large module is compiled once per machine rather than once per process.
 */
final class CompiledCacheOptions {
  /** Upper bound of {@code --compiled-cache-mb}: 1 TiB. */
  static final long MAX_MB = 1L << 20;

  @Option(
      names = "--compiled-cache",
      paramLabel = "DIR",
      description =
          "Keep compiled modules here across runs (HMAC-checked, least recently used evicted)."
              + " Default: ${DEFAULT-VALUE}")
  Path dir = SandboxConfig.defaultCompiledCacheDir();

  @Option(
      names = "--compiled-cache-mb",
      paramLabel = "N",
      description = "Bound of the compiled-module cache in MiB; 0 turns it off (default 1024).")
  Long mb;

  @Option(
      names = "--interpret-first-mb",
      paramLabel = "N",
      description =
          "A module of at least N MiB not compiled yet runs in the interpreter at once while it"
              + " compiles in the background; 0 always compiles first (default 8).")
  long interpretFirstMb = SandboxConfig.DEFAULT_INTERPRET_FIRST_BYTES >> 20;

  /** {@code config} with the on-disk cache these options ask for (null values: defaults). */
  static SandboxConfig apply(SandboxConfig config, Path dir, long mb) {
    if (mb < 0 || mb > MAX_MB) {
      throw new UserError(
          ExitCodes.PHASE_ERROR, "--compiled-cache-mb must be between 0 and " + MAX_MB);
    }
    return mb == 0 ? config : config.withCompiledCache(dir, mb << 20);
  }

  SandboxConfig apply(SandboxConfig config) {
    if (interpretFirstMb < 0 || interpretFirstMb > MAX_MB) {
      throw new UserError(
          ExitCodes.PHASE_ERROR, "--interpret-first-mb must be between 0 and " + MAX_MB);
    }
    return apply(config, dir, mb == null ? SandboxConfig.DEFAULT_COMPILED_CACHE_BYTES >> 20 : mb)
        .withInterpretFirst(interpretFirstMb == 0 ? Long.MAX_VALUE : interpretFirstMb << 20);
  }
}
