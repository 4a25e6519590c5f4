package io.phase.core.bench;

import io.phase.core.receipt.OutputKind;
import io.phase.core.sandbox.Sandbox;
import io.phase.core.sandbox.SandboxRequest;
import io.phase.core.sandbox.SandboxResult;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One sandbox run timed as a caller sees it: from {@code submit} to the completed result (thread
 * hand-off included), with the guest's stdout kept for checking.
 *
 * @param millis caller-observed wall time
 * @param cpuMillis CPU time of the whole JVM process over the run (guest thread, plus any JIT and
 *     GC work); on a machine shared with other loads it is steadier than wall time
 * @param result what the sandbox reported; its own {@code wallTime} starts on the guest thread
 * @param stdout the guest's standard output, decoded as UTF-8
 */
record TimedRun(double millis, double cpuMillis, SandboxResult result, String stdout) {
  /** Output of a benchmark fixture is a line or two; more means something is wrong. */
  private static final int MAX_KEPT_STDOUT = 64 * 1024;

  static TimedRun of(Sandbox sandbox, SandboxRequest request, Duration wait) {
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    long cpuStart = processCpuNanos();
    long start = System.nanoTime();
    SandboxResult result;
    try {
      result =
          sandbox
              .submit(
                  request,
                  chunk -> {
                    if (chunk.kind() == OutputKind.STDOUT
                        && stdout.size() + chunk.data().length <= MAX_KEPT_STDOUT) {
                      stdout.write(chunk.data(), 0, chunk.data().length);
                    }
                  })
              .result()
              .get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BenchFailure("interrupted while waiting for a run");
    } catch (ExecutionException e) {
      throw new BenchFailure("run refused: " + e.getCause());
    } catch (TimeoutException e) {
      throw new BenchFailure("no result within " + wait);
    }
    double millis = (System.nanoTime() - start) / 1e6;
    double cpuMillis = (processCpuNanos() - cpuStart) / 1e6;
    return new TimedRun(millis, cpuMillis, result, stdout.toString(StandardCharsets.UTF_8));
  }

  private static long processCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    throw new BenchFailure("this JVM does not report process CPU time");
  }

  /** Fails loudly unless the guest exited 0 and printed exactly {@code expectedStdout}. */
  TimedRun expect(String what, String expectedStdout, boolean expectCached) {
    if (!result.outcome().succeeded()) {
      throw new BenchFailure(what + ": outcome " + result.outcome().describe() + ", not exited(0)");
    }
    if (!stdout.equals(expectedStdout)) {
      throw new BenchFailure(
          what
              + ": stdout was \""
              + stdout.strip()
              + "\", expected \""
              + expectedStdout.strip()
              + "\"");
    }
    if (result.runtime().cached() != expectCached) {
      throw new BenchFailure(
          what + ": module " + (expectCached ? "was not" : "was") + " taken from the cache");
    }
    return this;
  }
}
