package io.phase.p2p.bench;

import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * CPU time (user + system) consumed by this JVM and, if known, by the server process. The server's
 * figure comes from /proc via {@link ProcessHandle} (clock-tick granularity, 10 ms on Linux).
 */
final class CpuClock {
  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private final ProcessHandle server;

  /**
   * @param serverPid the server's process id, or -1 if not known
   */
  CpuClock(long serverPid) {
    this.server = serverPid < 0 ? null : ProcessHandle.of(serverPid).orElse(null);
    if (serverPid >= 0 && server == null) {
      throw new IllegalArgumentException("no process " + serverPid);
    }
  }

  boolean knowsServer() {
    return server != null;
  }

  /** This JVM's CPU time in nanoseconds. */
  long clientNanos() {
    return os.getProcessCpuTime();
  }

  /** The server process's CPU time in nanoseconds, or 0 if not known. */
  long serverNanos() {
    if (server == null) {
      return 0;
    }
    return server
        .info()
        .totalCpuDuration()
        .map(Duration::toNanos)
        .orElseThrow(() -> new IllegalStateException("cannot read the server's CPU time"));
  }
}
