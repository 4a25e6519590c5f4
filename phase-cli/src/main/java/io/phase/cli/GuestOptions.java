package io.phase.cli;

import io.phase.core.sandbox.SandboxLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** The options {@code exec} and {@code run} share: the guest's inputs, limits and records. */
final class GuestOptions {
  static final long MAX_STDIN_BYTES = 64L << 20;

  @Option(
      names = "--env",
      paramLabel = "K=V",
      description = "Environment variable for the guest (repeatable).")
  List<String> env = new ArrayList<>();

  @Option(
      names = "--stdin",
      paramLabel = "FILE|-",
      description = "Standard input for the guest (at most 64 MiB).")
  String stdin;

  @Option(
      names = "--memory-mb",
      paramLabel = "N",
      description = "Memory limit in MiB (default ${DEFAULT-VALUE}).")
  int memoryMb = SandboxLimits.DEFAULTS.memoryMb();

  @Option(
      names = "--timeout-s",
      paramLabel = "N",
      description = "Wall-clock limit in seconds (default ${DEFAULT-VALUE}).")
  long timeoutSeconds = SandboxLimits.DEFAULTS.timeout().toSeconds();

  @Option(
      names = "--max-output-mb",
      paramLabel = "N",
      description = "Limit on stdout+stderr in MiB (default ${DEFAULT-VALUE}).")
  long maxOutputMb = SandboxLimits.DEFAULTS.maxOutputBytes() >> 20;

  @Option(names = "--receipt", paramLabel = "FILE", description = "Write the signed receipt here.")
  Path receipt;

  @Option(
      names = "--transcript",
      paramLabel = "FILE",
      description = "Write the output chunks here, so the commitment can be replayed.")
  Path transcript;

  /** The limits asked for, checked for range. */
  SandboxLimits sandboxLimits() {
    if (memoryMb < 1 || memoryMb > SandboxLimits.MAX_MEMORY_MB) {
      throw new UserError(
          ExitCodes.PHASE_ERROR,
          "--memory-mb must be between 1 and " + SandboxLimits.MAX_MEMORY_MB);
    }

    long maxTimeout = SandboxLimits.MAX_TIMEOUT.toSeconds();
    if (timeoutSeconds < 1 || timeoutSeconds > maxTimeout) {
      throw new UserError(
          ExitCodes.PHASE_ERROR,
          "--timeout-s must be between 1 and " + maxTimeout + ", got " + timeoutSeconds);
    }
    if (maxOutputMb < 0 || maxOutputMb > 1 << 20) {
      throw new UserError(ExitCodes.PHASE_ERROR, "--max-output-mb must be between 0 and 1048576");
    }
    return SandboxLimits.DEFAULTS
        .withMaxModuleBytes(SandboxLimits.OPERATOR_DEFAULT_MAXIMUMS.maxModuleBytes())
        .withMemoryMb(memoryMb)
        .withTimeout(Duration.ofSeconds(timeoutSeconds))
        .withMaxOutputBytes(maxOutputMb << 20);
  }

  /** Reads MODULE, refusing a missing file, a directory or more than {@code max} bytes. */
  static byte[] readModule(Path module, long maxModuleBytes) {
    if (!Files.exists(module)) {
      throw new UserError(ExitCodes.MODULE_NOT_FOUND, "module " + module + " does not exist");
    }
    if (Files.isDirectory(module)) {
      throw new UserError(ExitCodes.INVALID_MODULE, "module " + module + " is a directory");
    }
    long max = maxModuleBytes;
    try {
      if (Files.size(module) > max) {
        throw new UserError(
            ExitCodes.INVALID_MODULE,
            "module " + module + " is larger than the limit of " + max + " bytes");
      }
    } catch (IOException e) {
      throw new UserError(
          ExitCodes.PHASE_ERROR, "cannot read module " + module + ": " + e.getMessage());
    }
    return BoundedFiles.read(module, max, "module", ExitCodes.PHASE_ERROR);
  }

  Map<String, String> environment() {
    Map<String, String> map = new LinkedHashMap<>();
    for (String pair : env) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new UserError(ExitCodes.PHASE_ERROR, "--env expects K=V, got '" + pair + "'");
      }
      map.put(pair.substring(0, eq), pair.substring(eq + 1));
    }
    return map;
  }

  byte[] readStdin() {
    if (stdin == null) {
      return new byte[0];
    }
    if (stdin.equals("-")) {
      try {
        return BoundedFiles.readCapped(
            System.in, MAX_STDIN_BYTES, "standard input", ExitCodes.PHASE_ERROR);
      } catch (IOException e) {
        throw new UserError(ExitCodes.PHASE_ERROR, "cannot read standard input: " + e.getMessage());
      }
    }
    return BoundedFiles.read(
        Path.of(stdin), MAX_STDIN_BYTES, "--stdin file", ExitCodes.PHASE_ERROR);
  }
}
