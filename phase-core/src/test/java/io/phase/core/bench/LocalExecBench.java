package io.phase.core.bench;

import io.phase.core.sandbox.Sandbox;
import io.phase.core.sandbox.SandboxConfig;
import io.phase.core.sandbox.SandboxLimits;
import io.phase.core.sandbox.SandboxRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Benchmark of local execution in the sandbox, run by {@code bench/local-exec.sh} (not a unit test:
 * surefire does not pick it up). In one JVM it measures the CPU fixture {@code cpu N} cold (a fresh
 * {@link Sandbox} per run: parse, compile, run) and warm (one sandbox, after warm-up runs), and the
 * time to start a trivial cached module ({@code io.wasm exit 0}) against the same module uncached.
 * Every run must exit 0 with the expected output, or the benchmark fails. Results are printed as
 * {@code RESULT name=... ms=...} lines.
 *
 * <p>Usage: {@code LocalExecBench --fixtures DIR [--n N] [--expect HEX] [--cold-reps R] [--warmup
 * R] [--warm-reps R] [--start-warmup R] [--start-reps R] [--uncached-reps R]}
 */
public final class LocalExecBench {
  /** Checksums of {@code cpu N} from fixtures/README.md; other N need {@code --expect}. */
  private static final Map<Integer, String> KNOWN_CHECKSUMS =
      Map.of(
          1, "7f29d8ebcfdaa452f2b3f63955efb268e29bdb6fcd0468bb23d375ff9fff8779",
          2, "6ab45c342b37a5b123a47d87d2b11bfba37adceb932cba2184981b4c03ab249b");

  private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
  private static final int MAX_REPS = 10_000;
  private static final Duration CPU_TIMEOUT = Duration.ofMinutes(10);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  private final Path fixtures;
  private final int n;
  private final String expectedCpuStdout;
  private final Map<String, Integer> reps;

  private LocalExecBench(Path fixtures, int n, String checksum, Map<String, Integer> reps) {
    this.fixtures = fixtures;
    this.n = n;
    this.expectedCpuStdout = "checksum=" + checksum + "\n";
    this.reps = reps;
  }

  public static void main(String[] args) throws IOException {
    try {
      parse(args).run();
    } catch (BenchFailure | IllegalArgumentException e) {
      System.err.println("LocalExecBench: FAILED: " + e.getMessage());
      System.exit(1);
    }
  }

  private static LocalExecBench parse(String[] args) {
    Path fixtures = null;
    int n = 8;
    String expect = null;
    Map<String, Integer> reps =
        new LinkedHashMap<>(
            Map.of(
                "cold-reps", 3,
                "warmup", 3,
                "warm-reps", 5,
                "start-warmup", 100,
                "start-reps", 200,
                "uncached-reps", 20));
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("missing value after " + flag);
      }
      String value = args[++i];
      switch (flag) {
        case "--fixtures" -> fixtures = Path.of(value);
        case "--n" -> n = intIn(flag, value, 1, 10_000);
        case "--expect" -> expect = value;
        default -> {
          String key = flag.startsWith("--") ? flag.substring(2) : flag;
          if (!reps.containsKey(key)) {
            throw new IllegalArgumentException("unknown option " + flag);
          }
          reps.put(key, intIn(flag, value, 1, MAX_REPS));
        }
      }
    }
    if (fixtures == null) {
      throw new IllegalArgumentException("--fixtures DIR is required");
    }
    if (expect == null) {
      expect = KNOWN_CHECKSUMS.get(n);
      if (expect == null) {
        throw new IllegalArgumentException("--expect HEX is required for cpu " + n);
      }
    }
    if (!HEX64.matcher(expect).matches()) {
      throw new IllegalArgumentException("--expect must be 64 lowercase hex digits");
    }
    return new LocalExecBench(fixtures, n, expect, reps);
  }

  private static int intIn(String flag, String value, int min, int max) {
    int parsed;
    try {
      parsed = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " needs an integer, got " + value);
    }
    if (parsed < min || parsed > max) {
      throw new IllegalArgumentException(flag + " must be in " + min + ".." + max);
    }
    return parsed;
  }

  private void run() throws IOException {
    byte[] cpu = Files.readAllBytes(fixtures.resolve("cpu.wasm"));
    byte[] io = Files.readAllBytes(fixtures.resolve("io.wasm"));
    SandboxRequest cpuRun =
        SandboxRequest.of(cpu, SandboxLimits.DEFAULTS.withTimeout(CPU_TIMEOUT))
            .withArgs(List.of(Integer.toString(n)));
    SandboxRequest exit0 =
        SandboxRequest.of(io, SandboxLimits.DEFAULTS).withArgs(List.of("exit", "0"));
    System.out.printf(
        Locale.ROOT,
        "INFO java=%s vm=\"%s\" chicory=%s cores=%d max_heap_mib=%d n=%d%n",
        System.getProperty("java.version"),
        System.getProperty("java.vm.name"),
        Sandbox.CHICORY_VERSION,
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20,
        n);

    cold(cpuRun);
    warm(cpuRun);
    cachedStart(exit0);
    uncachedStart(exit0);
  }

  /** A fresh sandbox per run: nothing cached, the guest's classes JIT-compiled from scratch. */
  private void cold(SandboxRequest cpuRun) {
    double[] ms = new double[reps.get("cold-reps")];
    double[] cpuMs = new double[ms.length];
    for (int i = 0; i < ms.length; i++) {
      try (Sandbox sandbox = new Sandbox(SandboxConfig.defaults())) {
        TimedRun r =
            TimedRun.of(sandbox, cpuRun, CPU_TIMEOUT.plusMinutes(1))
                .expect("cold cpu " + n, expectedCpuStdout, false);
        ms[i] = r.millis();
        cpuMs[i] = r.cpuMillis();
        result("cold_run", "rep=" + (i + 1), r);
      }
    }
    summary("cold", new Samples(ms));
    summary("cold_cpu", new Samples(cpuMs));
  }

  /** One sandbox; after warm-up runs the module is cached and its code JIT-compiled. */
  private void warm(SandboxRequest cpuRun) {
    try (Sandbox sandbox = new Sandbox(SandboxConfig.defaults())) {
      for (int i = 0; i < reps.get("warmup"); i++) {
        TimedRun r =
            TimedRun.of(sandbox, cpuRun, CPU_TIMEOUT.plusMinutes(1))
                .expect("warm-up cpu " + n, expectedCpuStdout, i > 0);
        result("warmup_run", "rep=" + (i + 1), r);
      }
      double[] ms = new double[reps.get("warm-reps")];
      double[] cpuMs = new double[ms.length];
      for (int i = 0; i < ms.length; i++) {
        TimedRun r =
            TimedRun.of(sandbox, cpuRun, CPU_TIMEOUT.plusMinutes(1))
                .expect("warm cpu " + n, expectedCpuStdout, true);
        ms[i] = r.millis();
        cpuMs[i] = r.cpuMillis();
        result("warm_run", "rep=" + (i + 1), r);
      }
      summary("warm", new Samples(ms));
      summary("warm_cpu", new Samples(cpuMs));
    }
  }

  /** "Starting a cached module": a trivial guest whose compiled module is already cached. */
  private void cachedStart(SandboxRequest exit0) {
    try (Sandbox sandbox = new Sandbox(SandboxConfig.defaults())) {
      TimedRun.of(sandbox, exit0, START_TIMEOUT).expect("first io exit 0", "", false);
      for (int i = 0; i < reps.get("start-warmup"); i++) {
        TimedRun.of(sandbox, exit0, START_TIMEOUT).expect("warm-up io exit 0", "", true);
      }
      double[] ms = new double[reps.get("start-reps")];
      double[] inside = new double[ms.length];
      for (int i = 0; i < ms.length; i++) {
        TimedRun r = TimedRun.of(sandbox, exit0, START_TIMEOUT).expect("io exit 0", "", true);
        ms[i] = r.millis();
        inside[i] = r.result().wallTime().toNanos() / 1e6;
      }
      summary("cached_start", new Samples(ms));
      summary("cached_start_sandbox", new Samples(inside));
    }
  }

  /**
   * The same trivial guest, compiled every time: each run's module carries a distinct custom
   * section, so its hash is new and the cache cannot serve it. The JVM and the compiler itself are
   * warm.
   */
  private void uncachedStart(SandboxRequest exit0) {
    try (Sandbox sandbox = new Sandbox(SandboxConfig.defaults())) {
      int warmup = Math.min(reps.get("start-warmup"), 20);
      double[] ms = new double[reps.get("uncached-reps")];
      for (int i = 0; i < warmup + ms.length; i++) {
        SandboxRequest fresh =
            SandboxRequest.of(withCustomSection(exit0.module(), i), exit0.limits())
                .withArgs(exit0.args());
        TimedRun r =
            TimedRun.of(sandbox, fresh, START_TIMEOUT).expect("uncached io exit 0", "", false);
        if (i >= warmup) {
          ms[i - warmup] = r.millis();
        }
      }
      summary("uncached_start", new Samples(ms));
    }
  }

  /** The module with a custom section named {@code phase-bench} holding {@code tag} appended. */
  static byte[] withCustomSection(byte[] module, int tag) {
    byte[] name = "phase-bench".getBytes(StandardCharsets.US_ASCII);
    byte[] payload = Integer.toString(tag).getBytes(StandardCharsets.US_ASCII);
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    content.write(name.length);
    content.writeBytes(name);
    content.writeBytes(payload);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(module);
    out.write(0); // custom section id
    writeUleb(out, content.size());
    out.writeBytes(content.toByteArray());
    return out.toByteArray();
  }

  private static void writeUleb(ByteArrayOutputStream out, int value) {
    int v = value;
    do {
      int b = v & 0x7f;
      v >>>= 7;
      out.write(v == 0 ? b : b | 0x80);
    } while (v != 0);
  }

  private static void result(String name, String extra, TimedRun r) {
    System.out.printf(
        Locale.ROOT,
        "RESULT name=%s %s ms=%.2f sandbox_ms=%.2f cpu_ms=%.2f%n",
        name,
        extra,
        r.millis(),
        r.result().wallTime().toNanos() / 1e6,
        r.cpuMillis());
  }

  private static void summary(String name, Samples s) {
    System.out.printf(
        Locale.ROOT,
        "RESULT name=%s_median ms=%.3f%nRESULT name=%s_min ms=%.3f%nRESULT name=%s_p90 ms=%.3f%n"
            + "RESULT name=%s_max ms=%.3f samples=%d%n",
        name,
        s.median(),
        name,
        s.min(),
        name,
        s.percentile(90),
        name,
        s.max(),
        s.count());
  }
}
