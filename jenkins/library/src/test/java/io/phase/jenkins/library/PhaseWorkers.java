package io.phase.jenkins.library;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Phase network of real {@code phase node} processes on 127.0.0.1: worker 0 starts the network,
 * the others join through it. {@link #start} returns once {@code phase peers} lists every worker;
 * {@link #close} kills them all.
 */
final class PhaseWorkers implements AutoCloseable {
  private static final Duration LISTEN_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration ADVERTISE_TIMEOUT = Duration.ofSeconds(60);

  /** A whole {@code LISTEN <multiaddr>/p2p/<peer id>} line of {@code phase node}. */
  private static final Pattern LISTEN_LINE = Pattern.compile("LISTEN (\\S+/p2p/(\\w+))\n");

  private static final Pattern PEER_ID_FIELD = Pattern.compile("\"peer_id\"\\s*:\\s*\"(\\w+)\"");

  /** One {@code phase node} process. */
  record Worker(Process process, String peerId, String address, Path log) {}

  private final PhaseCli cli;
  private final Path dir;
  private final List<Worker> workers = new ArrayList<>();

  private PhaseWorkers(PhaseCli cli, Path dir) {
    this.cli = cli;
    this.dir = dir;
  }

  /** Starts {@code count} workers with keys and logs in {@code dir}, and waits until advertised. */
  static PhaseWorkers start(PhaseCli cli, Path dir, int count) throws Exception {
    PhaseWorkers network = new PhaseWorkers(cli, dir);
    try {
      for (int i = 0; i < count; i++) {
        network.startWorker(i);
      }
      network.awaitAdvertised();
      return network;
    } catch (Throwable t) {
      network.close();
      throw t;
    }
  }

  private void startWorker(int i) throws Exception {
    List<String> args = new ArrayList<>();
    args.addAll(
        List.of(
            "node",
            "--key",
            dir.resolve("worker" + i + ".key").toString(),
            "--listen",
            "/ip4/127.0.0.1/tcp/0"));
    if (!workers.isEmpty()) {
      args.add("--bootstrap");
      args.add(bootstrap());
    }
    Path stdout = dir.resolve("worker" + i + ".out");
    Path log = dir.resolve("worker" + i + ".log");
    ProcessBuilder builder =
        cli.builder(dir, args.toArray(String[]::new))
            .redirectOutput(stdout.toFile())
            .redirectError(log.toFile());
    builder.environment().put("PHASE_LOG_LEVEL", "INFO");
    Process process = builder.start();
    try {
      Matcher listen = awaitListenLine(process, stdout, log);
      workers.add(new Worker(process, listen.group(2), listen.group(1), log));
    } catch (Throwable t) {
      Processes.kill(process);
      throw t;
    }
  }

  private static Matcher awaitListenLine(Process process, Path stdout, Path log) throws Exception {
    long deadline = System.nanoTime() + LISTEN_TIMEOUT.toNanos();
    while (true) {
      Matcher listen = LISTEN_LINE.matcher(Files.readString(stdout, StandardCharsets.UTF_8));
      if (listen.find()) {
        return listen;
      }
      if (!process.isAlive()) {
        fail("phase node exited " + process.exitValue() + ": " + Files.readString(log));
      }
      if (System.nanoTime() > deadline) {
        fail("phase node printed no LISTEN line within " + LISTEN_TIMEOUT);
      }
      Thread.sleep(100);
    }
  }

  /** Asks {@code phase peers} until it lists every worker (bounded). */
  private void awaitAdvertised() throws Exception {
    Set<String> expected = peerIds();
    Set<String> listed = Set.of();
    String last = "";
    long deadline = System.nanoTime() + ADVERTISE_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      PhaseCli.Result peers =
          cli.run("peers", "--bootstrap", bootstrap(), "--json", "--timeout-s", "20");
      last = peers.describe();
      listed = new LinkedHashSet<>();
      Matcher peerId = PEER_ID_FIELD.matcher(peers.stdout());
      while (peerId.find()) {
        listed.add(peerId.group(1));
      }
      if (peers.status() == 0 && listed.equals(expected)) {
        return;
      }
      Thread.sleep(500);
    }
    fail("workers listed: " + listed + ", expected " + expected + "\nlast phase peers:\n" + last);
  }

  /** The address to join through (worker 0's), ending in /p2p/: a PHASE_BOOTSTRAP value. */
  String bootstrap() {
    return workers.get(0).address();
  }

  Set<String> peerIds() {
    Set<String> ids = new LinkedHashSet<>();
    workers.forEach(w -> ids.add(w.peerId()));
    return ids;
  }

  @Override
  public void close() throws InterruptedException {
    for (Worker worker : workers) {
      Processes.kill(worker.process());
    }
  }
}
