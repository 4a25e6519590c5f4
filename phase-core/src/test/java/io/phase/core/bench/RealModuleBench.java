package io.phase.core.bench;

import io.phase.core.sandbox.Outcome;
import io.phase.core.sandbox.OutputListener;
import io.phase.core.sandbox.Sandbox;
import io.phase.core.sandbox.SandboxConfig;
import io.phase.core.sandbox.SandboxLimits;
import io.phase.core.sandbox.SandboxRequest;
import io.phase.core.sandbox.SandboxResult;
import io.phase.core.sandbox.WorkspaceMapping;
import io.phase.core.sandbox.WorkspaceSource;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Warm in-process runs of a real module, for {@code bench/real-modules.sh} (not a unit test). One
 * {@link Sandbox} with the on-disk compiled-module cache in {@code --cache DIR}: the first run
 * loads the compiled classes from there (the script fills it first), later runs reuse them in
 * memory. Prints {@code RESULT name=warm_run rep=I ms=T} per run and the guest's stdout of the last
 * run to {@code --stdout FILE}.
 *
 * <p>Usage: {@code RealModuleBench --module M.wasm --cache DIR --reps R --stdout FILE [--dir
 * HOST:GUEST] -- ARGS...}
 */
public final class RealModuleBench {
  private RealModuleBench() {}

  public static void main(String[] argv) throws Exception {
    Path module = null;
    Path cache = null;
    Path stdoutFile = null;
    String dir = null;
    int reps = 3;
    int i = 0;
    for (; i < argv.length && !argv[i].equals("--"); i += 2) {
      switch (argv[i]) {
        case "--module" -> module = Path.of(argv[i + 1]);
        case "--cache" -> cache = Path.of(argv[i + 1]);
        case "--stdout" -> stdoutFile = Path.of(argv[i + 1]);
        case "--dir" -> dir = argv[i + 1];
        case "--reps" -> reps = Integer.parseInt(argv[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + argv[i]);
      }
    }
    if (module == null || cache == null || stdoutFile == null || reps < 1 || reps > 100) {
      throw new IllegalArgumentException("--module, --cache, --stdout and --reps 1..100 needed");
    }
    List<String> args = new ArrayList<>(Arrays.asList(argv).subList(i + 1, argv.length));
    byte[] bytes = Files.readAllBytes(module);
    SandboxLimits limits =
        SandboxLimits.DEFAULTS
            .withMemoryMb(1024)
            .withTimeout(Duration.ofMinutes(30))
            .withMaxModuleBytes(64L << 20);
    Optional<WorkspaceSource> workspace =
        Optional.ofNullable(dir)
            .map(d -> new WorkspaceSource.HostDirectory(WorkspaceMapping.parse(d)));
    try (Sandbox sandbox =
        new Sandbox(
            SandboxConfig.defaults()
                .withConcurrency(1, 1)
                .withCompiledCache(cache, SandboxConfig.DEFAULT_COMPILED_CACHE_BYTES))) {
      for (int rep = 1; rep <= reps; rep++) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        OutputListener listener =
            chunk -> {
              if (chunk.kind() == io.phase.core.receipt.OutputKind.STDOUT) {
                out.writeBytes(chunk.data());
              }
            };
        SandboxRequest request =
            new SandboxRequest(
                bytes,
                "yosys",
                args,
                Map.of(),
                new byte[0],
                workspace.stream().toList(),
                List.of(),
                limits);
        long start = System.nanoTime();
        SandboxResult result = sandbox.submit(request, listener).result().get(30, TimeUnit.MINUTES);
        double ms = (System.nanoTime() - start) / 1e6;
        if (!result.outcome().equals(Outcome.exited(0))) {
          throw new IllegalStateException("run " + rep + ": " + result.outcome().describe());
        }
        System.err.printf(
            "RESULT name=warm_run rep=%d ms=%.1f mode=%s cached=%s%n",
            rep, ms, result.runtime().mode(), result.runtime().cached());
        Files.write(stdoutFile, out.toByteArray());
      }
    }
  }
}
