package io.phase.p2p.bench;

import io.phase.p2p.crypto.Ed25519PrivateKey;
import io.phase.p2p.host.Connection;
import io.phase.p2p.host.Host;
import io.phase.p2p.multiaddr.Multiaddr;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Connection set-up: the time from {@code dial} to a ready connection (TCP connect, multistream
 * /noise, Noise XX with identity check, multistream /yamux/1.0.0), each connection closed before
 * the next; and the rate of connections per second with several dialing hosts in parallel.
 */
final class SetupBench {
  private static final long TIMEOUT_SECONDS = 10;

  private final Multiaddr target;
  private final CpuClock cpu;

  SetupBench(Multiaddr target, CpuClock cpu) {
    this.target = target;
    this.cpu = cpu;
  }

  /** Sequential dials from {@code host}; prints RESULT name=setup. */
  void sequential(Host host, int warmup, int count) throws Exception {
    for (int i = 0; i < warmup; i++) {
      dialAndClose(host, null);
    }
    double[] ms = new double[count];
    long c0 = cpu.clientNanos();
    long s0 = cpu.serverNanos();
    long t0 = System.nanoTime();
    Connection previous = null;
    for (int i = 0; i < count; i++) {
      long start = System.nanoTime();
      previous = dialAndClose(host, previous);
      ms[i] = (connectedAt - start) / 1e6;
    }
    double totalMs = (System.nanoTime() - t0) / 1e6;
    double clientCpuMs = (cpu.clientNanos() - c0) / 1e6;
    double serverCpuMs = (cpu.serverNanos() - s0) / 1e6;
    Samples s = new Samples(ms);
    System.out.printf(
        Locale.ROOT,
        "RESULT name=setup count=%d median_ms=%.3f p90_ms=%.3f mean_ms=%.3f min_ms=%.3f"
            + " max_ms=%.3f sequential_per_s=%.1f client_cpu_ms_per_conn=%.3f"
            + " server_cpu_ms_per_conn=%.3f%n",
        count,
        s.median(),
        s.percentile(90),
        s.mean(),
        s.min(),
        s.max(),
        count / (totalMs / 1000),
        clientCpuMs / count,
        cpu.knowsServer() ? serverCpuMs / count : Double.NaN);
    System.out.flush();
  }

  private long connectedAt;

  private Connection dialAndClose(Host host, Connection previous) throws Exception {
    Connection c = host.dial(target).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    connectedAt = System.nanoTime();
    if (c == previous || !c.isOpen()) {
      throw new IllegalStateException("dial returned a reused or closed connection: " + c);
    }
    c.close().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    return c;
  }

  /**
   * {@code hosts} client hosts (one event loop thread each) dial {@code perHost} connections each,
   * sequentially per host and in parallel across hosts; prints RESULT name=setup_rate.
   */
  void rate(int hosts, int perHost) throws Exception {
    List<Host> clients = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(hosts);
    try {
      for (int i = 0; i < hosts; i++) {
        clients.add(
            Host.builder()
                .identity(Ed25519PrivateKey.generate())
                .agentVersion("phase-bench-rate")
                .eventLoopThreads(1)
                .build());
      }
      for (Host h : clients) {
        dialAndClose(h, null); // warm-up
      }
      long c0 = cpu.clientNanos();
      long s0 = cpu.serverNanos();
      long t0 = System.nanoTime();
      List<Future<?>> runs = new ArrayList<>();
      for (Host h : clients) {
        runs.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < perHost; i++) {
                    Connection c = h.dial(target).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    c.close().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                  }
                  return null;
                }));
      }
      for (Future<?> f : runs) {
        f.get(TIMEOUT_SECONDS * perHost, TimeUnit.SECONDS);
      }
      double totalMs = (System.nanoTime() - t0) / 1e6;
      int total = hosts * perHost;
      double clientCpuMs = (cpu.clientNanos() - c0) / 1e6;
      double serverCpuMs = (cpu.serverNanos() - s0) / 1e6;
      System.out.printf(
          Locale.ROOT,
          "RESULT name=setup_rate hosts=%d connections=%d ms=%.1f per_s=%.1f"
              + " client_cpu_ms_per_conn=%.3f server_cpu_ms_per_conn=%.3f%n",
          hosts,
          total,
          totalMs,
          total / (totalMs / 1000),
          clientCpuMs / total,
          cpu.knowsServer() ? serverCpuMs / total : Double.NaN);
      System.out.flush();
    } finally {
      pool.shutdownNow();
      List<CompletableFuture<Void>> closing = new ArrayList<>();
      for (Host h : clients) {
        closing.add(CompletableFuture.runAsync(() -> h.close(Duration.ofSeconds(5))));
      }
      CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    }
  }
}
