package io.phase.p2p.bench;

import io.phase.p2p.crypto.Ed25519PrivateKey;
import io.phase.p2p.host.Connection;
import io.phase.p2p.host.Host;
import io.phase.p2p.host.HostLimits;
import io.phase.p2p.multiaddr.Multiaddr;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * phase-p2p transport benchmark (a {@code main}, not a unit test; run by {@code bench/p2p.sh}).
 *
 * <pre>
 * P2pBench server [--listen MULTIADDR]
 *     serves /phase/sink/1.0.0 and /phase/source/1.0.0, prints "READY &lt;multiaddr&gt;" on
 *     stdout, runs until stdin reaches EOF
 * P2pBench client --target MULTIADDR [--server-pid PID] [options]
 *     measures against a running server (phase-p2p or interop/peer.mjs)
 * P2pBench local [options]
 *     starts "server" in a second JVM (same java, class path and JVM options, except flight
 *     recordings), then runs "client" against it
 * options: --mib N (256) --reps N (5) --warmup-mib N (64) --streams 1,8 --dials N (200)
 *          --dial-warmup N (20) --rate-hosts N (4) --rate-dials N (50, per host) --no-setup
 *          --no-throughput --timeout-s N (300, per run) --window BYTES (per-stream receive
 *          window of both hosts; default HostLimits.DEFAULT's)
 *          --max-window BYTES (largest auto-tuned window of both hosts, at least --window; equal
 *          to it disables growth; default HostLimits.DEFAULT's)
 * </pre>
 *
 * Prints {@code RESULT name=...} lines on stdout; progress and errors on stderr. Any failed or
 * short transfer, wrong count or failed dial ends the run with exit status 1.
 */
public final class P2pBench {
  private static final Multiaddr LOOPBACK = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");
  private static final Duration SERVER_READY = Duration.ofSeconds(60);

  /** Server limits: generous per-peer limit, since closed connections are reaped asynchronously. */
  private static final HostLimits SERVER_LIMITS =
      HostLimits.DEFAULT.withMaxConnections(1024).withMaxConnectionsPerPeer(64);

  private P2pBench() {}

  public static void main(String[] args) {
    try {
      if (args.length == 0) {
        throw new IllegalArgumentException("usage: P2pBench server|client|local [options]");
      }
      BenchOptions options = BenchOptions.parse(args);
      switch (args[0]) {
        case "server" -> server(options);
        case "client" -> client(options, options.target(), options.serverPid());
        case "local" -> local(options);
        default -> throw new IllegalArgumentException("unknown mode " + args[0]);
      }
      System.exit(0);
    } catch (Throwable e) {
      System.err.println("event=bench_failed error=" + e);
      e.printStackTrace();
      System.exit(1);
    }
  }

  private static void server(BenchOptions options) throws Exception {
    Host host =
        Host.builder()
            .identity(Ed25519PrivateKey.generate())
            .agentVersion("phase-bench-server")
            .limits(withWindow(SERVER_LIMITS, options))
            .listen(options.listen())
            .build();
    try {
      BenchProtocols.serve(host);
      System.out.println("READY " + host.listenAddresses().get(0).withP2p(host.peerId()));
      System.out.flush();
      while (System.in.read() != -1) {
        // Runs until stdin closes.
      }
    } finally {
      host.close(Duration.ofSeconds(5));
    }
  }

  private static void client(BenchOptions options, Multiaddr target, long serverPid)
      throws Exception {
    CpuClock cpu = new CpuClock(serverPid);
    Host host =
        Host.builder()
            .identity(Ed25519PrivateKey.generate())
            .agentVersion("phase-bench-client")
            .limits(withWindow(HostLimits.DEFAULT, options))
            .build();
    try {
      if (options.setup()) {
        SetupBench setup = new SetupBench(target, cpu);
        System.err.println("event=setup_sequential dials=" + options.dials());
        setup.sequential(host, options.dialWarmup(), options.dials());
        System.err.println("event=setup_rate hosts=" + options.rateHosts());
        setup.rate(options.rateHosts(), options.rateDials());
      }
      if (options.throughput()) {
        Connection connection = host.dial(target).get(10, TimeUnit.SECONDS);
        ThroughputBench bench =
            new ThroughputBench(host, connection, cpu, options.timeoutSeconds());
        long mib = 1024L * 1024;
        for (int streams : options.streams()) {
          for (boolean upload : new boolean[] {true, false}) {
            System.err.printf(
                "event=throughput direction=%s streams=%d mib=%d reps=%d%n",
                upload ? "upload" : "download", streams, options.mib(), options.reps());
            bench.measure(
                upload, options.mib() * mib, streams, options.reps(), options.warmupMib() * mib);
          }
        }
      }
    } finally {
      host.close(Duration.ofSeconds(5));
    }
  }

  private static void local(BenchOptions options) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (!arg.contains("FlightRecording")) {
        command.add(arg);
      }
    }
    command.addAll(options.serverJavaOptions());
    command.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            P2pBench.class.getName(),
            "server",
            "--window",
            Integer.toString(options.window()),
            "--max-window",
            Integer.toString(options.maxWindow())));
    Process server =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try {
      Multiaddr target = awaitReady(server);
      System.err.println("event=server_started pid=" + server.pid() + " addr=" + target);
      client(options, target, server.pid());
    } catch (Throwable e) {
      server.destroyForcibly();
      throw e;
    }
    server.getOutputStream().close();
    if (!server.waitFor(15, TimeUnit.SECONDS)) {
      server.destroyForcibly();
      throw new IOException("server did not stop within 15 s");
    }
    if (server.exitValue() != 0) {
      throw new IOException("server exited with " + server.exitValue());
    }
  }

  private static Multiaddr awaitReady(Process server) throws Exception {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> readyLine(out));
    String ready;
    try {
      ready = line.get(SERVER_READY.toSeconds(), TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      server.destroyForcibly();
      throw new IOException("server not ready within " + SERVER_READY.toSeconds() + " s");
    }
    if (ready == null || !ready.startsWith("READY ")) {
      server.destroyForcibly();
      throw new IOException("unexpected first line from the server: " + ready);
    }
    // The server keeps logging (a line per connection); an unread pipe would fill and block its
    // logger, and with it an event loop, after a few hundred dials.
    Thread drain = new Thread(() -> forward(out), "server-stdout");
    drain.setDaemon(true);
    drain.start();
    return Multiaddr.parse(ready.substring("READY ".length()).trim());
  }

  private static void forward(BufferedReader reader) {
    try {
      for (String line; (line = reader.readLine()) != null; ) {
        System.err.println("server: " + line);
      }
    } catch (IOException e) {
      // The server has gone; its exit status is checked by the caller.
    }
  }

  /** The READY line, skipping what the JVM itself may print first (e.g. JFR); at most 100 lines. */
  private static String readyLine(BufferedReader reader) {
    try {
      for (int i = 0; i < 100; i++) {
        String line = reader.readLine();
        if (line == null || line.startsWith("READY ")) {
          return line;
        }
        System.err.println("server: " + line);
      }
      return null;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static HostLimits withWindow(HostLimits l, BenchOptions options) {
    return l.withStreamReceiveWindows(
        options.window(), options.maxWindow(), l.connectionReceiveWindowBudget());
  }

  static Multiaddr loopback() {
    return LOOPBACK;
  }
}
