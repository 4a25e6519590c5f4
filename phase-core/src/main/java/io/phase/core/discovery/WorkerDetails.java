package io.phase.core.discovery;

import com.sun.management.OperatingSystemMXBean;
import io.phase.core.sandbox.Sandbox;
import io.phase.core.sandbox.SandboxLimits;
import java.lang.management.ManagementFactory;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What a worker advertises about itself, apart from the peer id and the time: the fixed details and
 * a live source of its load. {@link WorkerInfo}s are made from it per request.
 *
 * @param arch {@code x86_64} or {@code aarch64}
 * @param cpuCores cores offered
 * @param memoryMb memory of the machine, MiB (0 if unknown)
 * @param runtimeName e.g. {@code chicory}
 * @param runtimeVersion e.g. {@code 1.7.5}
 * @param maxJobMemoryMb largest memory a job may ask for, MiB
 * @param maxJobTimeoutMs longest job timeout, ms
 * @param maxModuleBytes largest module, bytes
 * @param load the current load, read at each request (must be quick and non-blocking)
 */
public record WorkerDetails(
    String arch,
    int cpuCores,
    long memoryMb,
    String runtimeName,
    String runtimeVersion,
    long maxJobMemoryMb,
    long maxJobTimeoutMs,
    long maxModuleBytes,
    Supplier<WorkerLoad> load) {

  /** Checks the arch and that a load source is given (other bounds are {@link WorkerInfo}'s). */
  public WorkerDetails {
    Capability.requireArch(arch);
    Objects.requireNonNull(load, "load");
  }

  /**
   * This machine with the sandbox's operator maximums ({@link
   * SandboxLimits#OPERATOR_DEFAULT_MAXIMUMS}), the Chicory runtime and the given load source.
   */
  public static WorkerDetails local(Supplier<WorkerLoad> load) {
    SandboxLimits max = SandboxLimits.OPERATOR_DEFAULT_MAXIMUMS;
    return new WorkerDetails(
        Capability.localArch(),
        Math.max(1, Runtime.getRuntime().availableProcessors()),
        machineMemoryMb(),
        "chicory",
        Sandbox.CHICORY_VERSION,
        max.memoryMb(),
        max.timeout().toMillis(),
        max.maxModuleBytes(),
        load);
  }

  private static long machineMemoryMb() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os) {
      return Math.max(0, os.getTotalMemorySize() >> 20);
    }
    return 0;
  }
}
