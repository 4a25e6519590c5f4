package io.phase.core.sandbox;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A failure of the host's own code during a run (here: the output listener, which runs on the guest
 * thread inside the guest's fd_write) ends the run as a host error, never as a guest trap; and
 * memory limits past what the engine can address are lowered to it, so a memory is never created
 * that the engine refuses.
 */
class HostFailureTest {
  static final SandboxLimits LIMITS =
      SandboxLimits.DEFAULTS.withMemoryMb(16).withTimeout(Duration.ofSeconds(30));

  @Test
  void exceptionOfTheHostIsAHostErrorNotATrap() {
    try (Sandbox sandbox = new Sandbox(SandboxConfig.defaults().withConcurrency(1, 1))) {
      OutputListener failing =
          chunk -> {
            throw new IllegalStateException("listener broke");
          };
      var run =
          sandbox.submit(
              SandboxRequest.of(Fixtures.bytes("io.wasm"), LIMITS)
                  .withArgs(List.of("echo-args", "hello")),
              failing);
      ExecutionException e =
          assertThrows(ExecutionException.class, () -> run.result().get(60, TimeUnit.SECONDS));
      SandboxHostException host = assertInstanceOf(SandboxHostException.class, e.getCause());
      assertTrue(host.getMessage().contains("listener broke"), host.getMessage());
    }
  }

  @Test
  void memoryAboveTheEngineLimitIsLoweredToIt() {
    var wide = SandboxLimits.OPERATOR_DEFAULT_MAXIMUMS;
    try (Sandbox sandbox = new Sandbox(SandboxConfig.defaults().withMaximums(wide))) {
      for (int asked : new int[] {2048, 3000, 4096}) {
        int got = sandbox.effectiveLimits(LIMITS.withMemoryMb(asked), false).memoryMb();
        assertTrue(got <= SandboxLimits.ENGINE_MAX_MEMORY_MB, asked + " MiB became " + got);
      }
    }
  }
}
