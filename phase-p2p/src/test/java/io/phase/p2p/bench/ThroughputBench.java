package io.phase.p2p.bench;

import io.phase.p2p.host.Connection;
import io.phase.p2p.host.Host;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Bulk transfer over one connection: {@code totalBytes} split evenly over {@code streams}
 * concurrent streams, to the remote sink (upload) or from the remote source (download). A run ends
 * when every stream's transfer is verified (upload: the sink's count arrived and matches; download:
 * exactly the requested bytes arrived before the server's half-close).
 */
final class ThroughputBench {
  private static final double MIB = 1024.0 * 1024.0;

  private final Host host;
  private final Connection connection;
  private final CpuClock cpu;
  private final long timeoutSeconds;

  ThroughputBench(Host host, Connection connection, CpuClock cpu, long timeoutSeconds) {
    this.host = host;
    this.connection = connection;
    this.cpu = cpu;
    this.timeoutSeconds = timeoutSeconds;
  }

  /** One run's figures. */
  record Run(long bytes, double wallMs, double clientCpuMs, double serverCpuMs) {}

  Run run(boolean upload, long totalBytes, int streams) throws Exception {
    long perStream = totalBytes / streams;
    long c0 = cpu.clientNanos();
    long s0 = cpu.serverNanos();
    long t0 = System.nanoTime();
    List<CompletableFuture<Void>> transfers = new ArrayList<>();
    for (int i = 0; i < streams; i++) {
      CompletableFuture<Void> done = new CompletableFuture<>();
      host.newStream(
              connection,
              s -> {
                if (upload) {
                  UploadHandler h = new UploadHandler(perStream);
                  propagate(h.done, done);
                  s.channel().pipeline().addLast(h);
                } else {
                  DownloadHandler h = new DownloadHandler(perStream);
                  propagate(h.done, done);
                  s.channel().pipeline().addLast(h);
                }
              },
              upload ? BenchProtocols.SINK : BenchProtocols.SOURCE)
          .whenComplete(
              (s, e) -> {
                if (e != null) {
                  done.completeExceptionally(e);
                }
              });
      transfers.add(done);
    }
    CompletableFuture.allOf(transfers.toArray(CompletableFuture[]::new))
        .get(timeoutSeconds, TimeUnit.SECONDS);
    long t1 = System.nanoTime();
    long c1 = cpu.clientNanos();
    long s1 = cpu.serverNanos();
    return new Run(perStream * streams, (t1 - t0) / 1e6, (c1 - c0) / 1e6, (s1 - s0) / 1e6);
  }

  /** Warm-up, then {@code reps} measured runs; prints one RESULT line with their medians. */
  void measure(boolean upload, long totalBytes, int streams, int reps, long warmupBytes)
      throws Exception {
    if (warmupBytes > 0) {
      run(upload, warmupBytes, streams);
    }
    double[] mibps = new double[reps];
    double[] wall = new double[reps];
    double[] cpuTotal = new double[reps];
    double[] cpuBound = new double[reps];
    double[] clientCpu = new double[reps];
    double[] serverCpu = new double[reps];
    long bytes = 0;
    for (int i = 0; i < reps; i++) {
      Run r = run(upload, totalBytes, streams);
      bytes = r.bytes();
      double mib = r.bytes() / MIB;
      wall[i] = r.wallMs();
      mibps[i] = mib / (r.wallMs() / 1000);
      clientCpu[i] = r.clientCpuMs();
      serverCpu[i] = r.serverCpuMs();
      double both = r.clientCpuMs() + r.serverCpuMs();
      cpuTotal[i] = mib / (Math.max(both, 1) / 1000);
      cpuBound[i] = mib / (Math.max(Math.max(r.clientCpuMs(), r.serverCpuMs()), 1) / 1000);
      System.err.printf(
          Locale.ROOT,
          "event=throughput_run direction=%s streams=%d rep=%d bytes=%d ms=%.1f mibps=%.1f"
              + " client_cpu_ms=%.0f server_cpu_ms=%.0f%n",
          upload ? "upload" : "download",
          streams,
          i + 1,
          r.bytes(),
          r.wallMs(),
          mibps[i],
          r.clientCpuMs(),
          r.serverCpuMs());
    }
    Samples m = new Samples(mibps);
    System.out.printf(
        Locale.ROOT,
        "RESULT name=throughput direction=%s streams=%d bytes=%d reps=%d mibps_median=%.1f"
            + " mibps_min=%.1f mibps_max=%.1f ms_median=%.1f client_cpu_ms_median=%.0f"
            + " server_cpu_ms_median=%.0f mib_per_cpu_s_median=%.1f cpu_bound_mibps_median=%.1f%n",
        upload ? "upload" : "download",
        streams,
        bytes,
        reps,
        m.median(),
        m.min(),
        m.max(),
        new Samples(wall).median(),
        new Samples(clientCpu).median(),
        cpu.knowsServer() ? new Samples(serverCpu).median() : Double.NaN,
        cpu.knowsServer() ? new Samples(cpuTotal).median() : Double.NaN,
        cpu.knowsServer() ? new Samples(cpuBound).median() : Double.NaN);
    System.out.flush();
  }

  private static void propagate(CompletableFuture<Void> from, CompletableFuture<Void> to) {
    from.whenComplete(
        (v, e) -> {
          if (e != null) {
            to.completeExceptionally(e);
          } else {
            to.complete(null);
          }
        });
  }
}
