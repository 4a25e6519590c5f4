package io.phase.cli;

import static io.phase.cli.PhaseRunner.fixtureArg;
import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chaos with real processes: {@value #JOBS} jobs over three real {@code phase node} workers while
 * two of them are killed with {@code kill -9} mid-run (at a quarter and at 60 % of the jobs) and
 * restarted 3 s later. The jobs come from {@value #CLIENTS} client processes running the client of
 * {@code phase run} ({@link ChaosClient}, {@value #CLIENT_JOBS} jobs each, {@value #IN_FLIGHT} in
 * flight) and from {@value #RUNS} real {@code phase run} processes (one JVM per job is too slow for
 * a hundred jobs in CI on two cores). Every job must finish exactly once from its client's view: a
 * verified receipt, its whole output once (no chunk lost or repeated across retries), a distinct
 * job id; nothing may hang (every process has a deadline, the whole run a bound). Node 0, the
 * bootstrap peer, is never killed, so clients can always find workers. bench/chaos.sh runs such a
 * load with {@code phase run} processes only and prints figures.
 */
class ChaosIT {
  static final int CLIENTS = 2;
  static final int CLIENT_JOBS = 45;
  static final int IN_FLIGHT = 5;
  static final int RUNS = 10;
  static final int JOBS = CLIENTS * CLIENT_JOBS + RUNS;

  /**
   * Each job: ticker, 8 ticks 100 ms apart, about a second of guest time, so kills land mid-job.
   */
  static final int TICKS = 8;

  private static final Pattern VERIFIED =
      Pattern.compile("(?m)^phase: receipt verified: job ([0-9a-f]{64}) on (\\S+)$");

  @TempDir Path dir;

  @Test
  @Timeout(400)
  void everyJobCompletesExactlyOnceWithAVerifiedReceiptWhileTwoWorkersAreKilled() throws Exception {
    PhaseRunner phase = new PhaseRunner(dir);
    String ticker = fixtureArg("ticker.wasm");
    String expected =
        IntStream.rangeClosed(1, TICKS)
            .mapToObj(i -> "tick " + i + "\n")
            .collect(Collectors.joining());
    Path results = Files.createDirectories(dir.resolve("results"));
    try (PhaseNetwork net = PhaseNetwork.start(phase, 3, i -> List.of())) {
      String bootstrap = net.bootstrap();
      long start = System.nanoTime();
      List<Process> clients = new ArrayList<>();
      ExecutorService runs = Executors.newFixedThreadPool(2);
      try {
        for (int c = 0; c < CLIENTS; c++) {
          clients.add(startClient(c, bootstrap, ticker, results));
        }
        List<Future<?>> runFutures = new ArrayList<>();
        for (int r = 0; r < RUNS; r++) {
          int index = CLIENTS * CLIENT_JOBS + r;
          runFutures.add(runs.submit(() -> runJob(phase, index, bootstrap, ticker, results)));
        }
        List<String> kills = new ArrayList<>();
        for (int[] step : new int[][] {{1, JOBS / 4}, {2, JOBS * 6 / 10}}) {
          int victim = step[0];
          awaitResults(results, step[1], start, clients);
          PhaseNetwork.signal(net.node(victim).process(), "KILL");
          assertTrue(net.node(victim).process().waitFor(10, TimeUnit.SECONDS));
          kills.add("node " + victim + " at " + countResults(results) + " jobs done");
          Thread.sleep(3_000);
          net.restart(victim, List.of());
        }
        for (Process client : clients) {
          long left = TimeUnit.SECONDS.toMillis(300) - elapsedMillis(start);
          assertTrue(client.waitFor(Math.max(1, left), TimeUnit.MILLISECONDS), "client hung");
        }
        for (Future<?> f : runFutures) {
          f.get(Math.max(1, TimeUnit.SECONDS.toMillis(300) - elapsedMillis(start)), MILLISECONDS);
        }
        long wallMillis = elapsedMillis(start);

        Set<String> jobIds = new HashSet<>();
        int retries = 0;
        List<Long> latencies = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
          Path result = results.resolve(i + ".result");
          assertTrue(Files.exists(result), "job " + i + " has no result: " + clientLogs());
          String[] f = Files.readString(result).trim().split(" ");
          String what = "job " + i + ": " + String.join(" ", f) + clientLogs();
          assertEquals("ok", f[0], what);
          assertEquals(expected, Files.readString(results.resolve(i + ".out")), what);
          assertTrue(jobIds.add(f[1]), "job id seen twice, " + what);
          retries += Integer.parseInt(f[3]);
          latencies.add(Long.parseLong(f[4]));
        }
        for (Process client : clients) {
          assertEquals(0, client.exitValue(), clientLogs());
        }
        Collections.sort(latencies);
        System.out.printf(
            "chaos: %d jobs, %d completed exactly once with a verified receipt, %d retries,"
                + " kills: %s, latency p50 %d ms, p99 %d ms, wall %d ms%n",
            JOBS,
            jobIds.size(),
            retries,
            kills,
            latencies.get(latencies.size() / 2),
            latencies.get(Math.min(latencies.size() - 1, latencies.size() * 99 / 100)),
            wallMillis);
      } finally {
        for (Process client : clients) {
          PhaseRunner.kill(client);
        }
        runs.shutdownNow();
        runs.awaitTermination(30, TimeUnit.SECONDS);
      }
    }
  }

  private static long elapsedMillis(long start) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
  }

  private String clientLogs() {
    StringBuilder b = new StringBuilder();
    for (int c = 0; c < CLIENTS; c++) {
      try {
        String log = Files.readString(dir.resolve("client" + c + ".err"));
        b.append("\n--- client ").append(c).append('\n');
        b.append(log.length() > 4000 ? log.substring(log.length() - 4000) : log);
      } catch (Exception e) {
        b.append(e);
      }
    }
    return b.toString();
  }

  private Process startClient(int c, String bootstrap, String ticker, Path results)
      throws Exception {
    Path testClasses =
        Path.of(ChaosClient.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-cp",
            PhaseRunner.jar() + java.io.File.pathSeparator + testClasses,
            ChaosClient.class.getName(),
            bootstrap,
            Integer.toString(c * CLIENT_JOBS),
            Integer.toString(CLIENT_JOBS),
            Integer.toString(IN_FLIGHT),
            ticker,
            Integer.toString(TICKS),
            results.toString());
    Process p =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectOutput(dir.resolve("client" + c + ".out").toFile())
            .redirectError(dir.resolve("client" + c + ".err").toFile())
            .start();
    p.getOutputStream().close();
    return p;
  }

  private static int countResults(Path results) throws Exception {
    try (var files = Files.list(results)) {
      return (int) files.filter(f -> f.toString().endsWith(".result")).count();
    }
  }

  private void awaitResults(Path results, int target, long start, List<Process> clients)
      throws Exception {
    while (countResults(results) < target) {
      if (elapsedMillis(start) > 240_000) {
        fail("only " + countResults(results) + " jobs done after 240 s" + clientLogs());
      }
      if (clients.stream().noneMatch(Process::isAlive)) {
        fail("the clients exited with " + countResults(results) + " jobs done" + clientLogs());
      }
      Thread.sleep(50);
    }
  }

  /** One job as a real {@code phase run} process; writes its result line like the clients. */
  private Void runJob(PhaseRunner phase, int index, String bootstrap, String ticker, Path results)
      throws Exception {
    Path out = results.resolve(index + ".out");
    Path err = dir.resolve("run" + index + ".stderr");
    long t0 = System.nanoTime();
    Process process =
        phase
            .builder(
                "run",
                "--key",
                dir.resolve("run.key").toString(),
                "--bootstrap",
                bootstrap,
                "--receipt",
                "r" + index + ".json",
                ticker,
                Integer.toString(TICKS),
                "100")
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    try {
      process.getOutputStream().close();
      if (!process.waitFor(180, TimeUnit.SECONDS)) {
        fail("phase run for job " + index + " hung: " + Files.readString(err));
      }
      String stderr = Files.readString(err);
      Matcher m = VERIFIED.matcher(stderr);
      boolean ok = process.exitValue() == 0 && m.find();
      long retries = stderr.lines().filter(l -> l.contains("trying another worker")).count();
      Files.writeString(
          results.resolve(index + ".result"),
          (ok ? "ok " + m.group(1) + " " + m.group(2) : "failed rc=" + process.exitValue() + " -")
              + " "
              + retries
              + " "
              + elapsedMillis(t0)
              + "\n");
      return null;
    } finally {
      PhaseRunner.kill(process);
    }
  }
}
