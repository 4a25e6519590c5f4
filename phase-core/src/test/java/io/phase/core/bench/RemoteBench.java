package io.phase.core.bench;

import io.phase.core.client.ClientConfig;
import io.phase.core.client.JobListener;
import io.phase.core.client.JobOutcome;
import io.phase.core.client.JobSpec;
import io.phase.core.client.PhaseClient;
import io.phase.core.client.StaticWorkerDirectory;
import io.phase.core.client.WorkerCandidate;
import io.phase.core.discovery.Capability;
import io.phase.core.identity.NodeKey;
import io.phase.core.node.NodeConfig;
import io.phase.core.node.PhaseNode;
import io.phase.core.node.WorkerNode;
import io.phase.core.protocol.RunLimits;
import io.phase.core.sandbox.Sandbox;
import io.phase.core.sandbox.SandboxConfig;
import io.phase.core.sandbox.SandboxLimits;
import io.phase.core.sandbox.SandboxRequest;
import io.phase.core.sandbox.SandboxResult;
import io.phase.core.worker.WorkerPolicy;
import io.phase.p2p.crypto.Ed25519PrivateKey;
import io.phase.p2p.multiaddr.Multiaddr;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Benchmark of remote execution, run by {@code bench/remote.sh} (not a unit test: surefire does not
 * pick it up). In one JVM it starts {@code --workers} worker nodes and a client node on 127.0.0.1
 * (real TCP, Noise, Yamux; the client knows the workers' addresses, so no DHT lookup is timed) and
 * measures, for the no-op job {@code io.wasm exit 0} whose module is already cached on every
 * worker: the round trip of one job at a time on warm connections (offer, submit, run, receipt,
 * signature and output-commitment verification), and throughput with 1, 8 and 64 jobs in flight;
 * the same module run locally in a {@link Sandbox} gives the baseline. Every job must exit 0 with a
 * verified receipt, or the benchmark fails. Results are {@code RESULT name=... key=value} lines.
 *
 * <p>Usage: {@code RemoteBench --fixtures DIR [--workers N] [--warmup R] [--rt-reps R] [--tp-jobs
 * R] [--worker-slots N]}
 */
public final class RemoteBench {
  private static final Duration JOB_WAIT = Duration.ofSeconds(60);
  private static final int[] LEVELS = {1, 8, 64};

  private final Path fixtures;
  private final Map<String, Integer> options;

  private RemoteBench(Path fixtures, Map<String, Integer> options) {
    this.fixtures = fixtures;
    this.options = options;
  }

  public static void main(String[] args) throws Exception {
    try {
      parse(args).run();
    } catch (BenchFailure | IllegalArgumentException e) {
      System.err.println("RemoteBench: FAILED: " + e.getMessage());
      System.exit(1);
    }
    System.exit(0); // client pools are daemon threads, but netty's are not
  }

  private static RemoteBench parse(String[] args) {
    Path fixtures = null;
    Map<String, Integer> options =
        new LinkedHashMap<>(
            Map.of(
                "workers", 3,
                "warmup", 2000,
                "rt-reps", 2000,
                "tp-jobs", 3000,
                "worker-slots", 4));
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("missing value after " + flag);
      }
      String value = args[++i];
      if (flag.equals("--fixtures")) {
        fixtures = Path.of(value);
        continue;
      }
      String key = flag.startsWith("--") ? flag.substring(2) : flag;
      if (!options.containsKey(key)) {
        throw new IllegalArgumentException("unknown option " + flag);
      }
      int parsed;
      try {
        parsed = Integer.parseInt(value);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(flag + " needs an integer, got " + value);
      }
      int max = key.equals("workers") ? 16 : key.equals("worker-slots") ? 64 : 1_000_000;
      if (parsed < 1 || parsed > max) {
        throw new IllegalArgumentException(flag + " must be in 1.." + max);
      }
      options.put(key, parsed);
    }
    if (fixtures == null) {
      throw new IllegalArgumentException("--fixtures DIR is required");
    }
    return new RemoteBench(fixtures, options);
  }

  private void run() throws IOException {
    byte[] io = Files.readAllBytes(fixtures.resolve("io.wasm"));
    String arch = Capability.localArch();
    int workers = options.get("workers");
    int slots = options.get("worker-slots");
    System.out.printf(
        Locale.ROOT,
        "INFO java=%s vm=\"%s\" cores=%d max_heap_mib=%d workers=%d worker_slots=%d%n",
        System.getProperty("java.version"),
        System.getProperty("java.vm.name"),
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20,
        workers,
        slots);

    SandboxRequest localRequest =
        SandboxRequest.of(io, SandboxLimits.DEFAULTS).withArgs(List.of("exit", "0"));
    try (Sandbox sandbox =
        new Sandbox(SandboxConfig.defaults().withConcurrency(slots * workers, 1024))) {
      Supplier<CompletableFuture<?>> local = () -> localJob(sandbox, localRequest);
      warm(local);
      summary("local_rt", roundTrips(local));
      for (int level : LEVELS) {
        throughput("local_tp", level, local);
      }
    }

    // The guest-memory budget (admission reserves each admitted job's 256 MiB cap, running or
    // queued) is sized for the 64 jobs in flight this benchmark queues on one worker at most:
    // left at its default (heap minus 512 MiB), two jobs fit and the rest would be QueueFull.
    // The no-op guest touches a few pages, so the budget, not the heap, is what would bind.
    WorkerPolicy policy =
        WorkerPolicy.builder(arch, "chicory")
            .maxMemoryMb(256)
            .maxMemoryTotalMb(256L * 64)
            .jobs(slots, 1024)
            .build();
    List<WorkerNode> nodes = new ArrayList<>();
    try {
      List<WorkerCandidate> candidates = new ArrayList<>();
      for (int i = 0; i < workers; i++) {
        WorkerNode node = WorkerNode.start(config(NodeKey.generate(), true), policy);
        nodes.add(node);
        candidates.add(WorkerCandidate.of(node.node().peerId(), node.node().addresses()));
      }
      JobSpec spec =
          JobSpec.of(io, new RunLimits(256, 60_000, 1 << 20), arch, "chicory")
              .withArgs(List.of("exit", "0"));
      try (PhaseNode clientNode = PhaseNode.start(config(NodeKey.generate(), false));
          PhaseClient client =
              new PhaseClient(
                  clientNode,
                  new StaticWorkerDirectory(candidates),
                  ClientConfig.defaults().withMaxAttempts(1))) {
        Supplier<CompletableFuture<?>> remote = () -> remoteJob(client, spec);
        // Warm-up at full concurrency too, so every worker has the module and a connection.
        warm(remote);
        for (int i = 0; i < 3; i++) {
          throughputOf(64, Math.max(64, options.get("warmup") / 4), remote);
        }
        summary("remote_rt", roundTrips(remote));
        for (int level : LEVELS) {
          throughput("remote_tp", level, remote);
        }
        signatureCost();
      }
    } finally {
      for (WorkerNode node : nodes) {
        node.close();
      }
    }
  }

  /**
   * What one job's receipt costs in Ed25519 alone (the worker signs it, the client verifies it),
   * measured on a receipt-sized message after the remote runs (so as warm as they were): the floor
   * under the remote figures.
   */
  private void signatureCost() {
    Ed25519PrivateKey key = Ed25519PrivateKey.generate();
    byte[] message = new byte[600];
    byte[] signature = key.sign(message);
    int reps = options.get("warmup");
    for (int i = 0; i < reps; i++) {
      if (!key.publicKey().verify(message, key.sign(message))) {
        throw new BenchFailure("Ed25519 round trip failed");
      }
    }
    long t0 = System.nanoTime();
    for (int i = 0; i < reps; i++) {
      signature = key.sign(message);
    }
    long t1 = System.nanoTime();
    for (int i = 0; i < reps; i++) {
      if (!key.publicKey().verify(message, signature)) {
        throw new BenchFailure("Ed25519 verification failed");
      }
    }
    long t2 = System.nanoTime();
    System.out.printf(
        Locale.ROOT,
        "RESULT name=ed25519 reps=%d sign_us=%.1f verify_us=%.1f%n",
        reps,
        (t1 - t0) / 1e3 / reps,
        (t2 - t1) / 1e3 / reps);
  }

  private static NodeConfig config(NodeKey key, boolean listen) {
    List<Multiaddr> addresses =
        listen ? List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")) : List.of();
    return NodeConfig.of(key, addresses, "phase-bench/0");
  }

  private static CompletableFuture<?> localJob(Sandbox sandbox, SandboxRequest request) {
    return sandbox
        .submit(request, chunk -> {})
        .result()
        .thenApply(
            (SandboxResult r) -> {
              if (r.outcome().exit().orElse(-1) != 0) {
                throw new BenchFailure("local run ended " + r.outcome());
              }
              return r;
            });
  }

  private static CompletableFuture<?> remoteJob(PhaseClient client, JobSpec spec) {
    return client
        .submit(spec, JobListener.DISCARD)
        .outcome()
        .thenApply(
            (JobOutcome o) -> {
              if (o.exitCode().orElse(-1) != 0) {
                throw new BenchFailure("remote job ended " + o.outcome());
              }
              return o;
            });
  }

  private void warm(Supplier<CompletableFuture<?>> job) {
    for (int i = 0; i < options.get("warmup"); i++) {
      await(job.get());
    }
  }

  /** One job at a time: the latency of each, in milliseconds. */
  private Samples roundTrips(Supplier<CompletableFuture<?>> job) {
    double[] ms = new double[options.get("rt-reps")];
    for (int i = 0; i < ms.length; i++) {
      long start = System.nanoTime();
      await(job.get());
      ms[i] = (System.nanoTime() - start) / 1e6;
    }
    return new Samples(ms);
  }

  private void throughput(String name, int level, Supplier<CompletableFuture<?>> job) {
    int jobs = Math.max(level, level == 1 ? options.get("tp-jobs") / 4 : options.get("tp-jobs"));
    double perSecond = throughputOf(level, jobs, job);
    System.out.printf(
        Locale.ROOT,
        "RESULT name=%s concurrency=%d jobs=%d jobs_per_s=%.1f%n",
        name,
        level,
        jobs,
        perSecond);
  }

  /** Runs {@code jobs} jobs keeping {@code level} in flight; jobs per second. */
  private static double throughputOf(int level, int jobs, Supplier<CompletableFuture<?>> job) {
    Semaphore inFlight = new Semaphore(level);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    long start = System.nanoTime();
    try {
      for (int i = 0; i < jobs && failure.get() == null; i++) {
        if (!inFlight.tryAcquire(JOB_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
          throw new BenchFailure("no job finished within " + JOB_WAIT);
        }
        job.get()
            .whenComplete(
                (r, e) -> {
                  if (e != null) {
                    failure.compareAndSet(null, e);
                  }
                  inFlight.release();
                });
      }
      if (!inFlight.tryAcquire(level, JOB_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new BenchFailure("jobs still running after " + JOB_WAIT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BenchFailure("interrupted");
    }
    long nanos = System.nanoTime() - start;
    if (failure.get() != null) {
      throw new BenchFailure("a job failed: " + failure.get());
    }
    return jobs / (nanos / 1e9);
  }

  private static void await(CompletableFuture<?> future) {
    try {
      future.get(JOB_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BenchFailure("interrupted");
    } catch (Exception e) {
      throw new BenchFailure("a job failed: " + (e.getCause() == null ? e : e.getCause()));
    }
  }

  private static void summary(String name, Samples s) {
    System.out.printf(
        Locale.ROOT,
        "RESULT name=%s reps=%d p50_ms=%.3f p99_ms=%.3f min_ms=%.3f max_ms=%.3f%n",
        name,
        s.count(),
        s.median(),
        s.percentile(99),
        s.min(),
        s.max());
  }
}
