package io.phase.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.phase.p2p.multiaddr.Multiaddr;
import io.phase.p2p.peer.PeerId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * A small Phase network of real {@code phase node} processes on 127.0.0.1: node 0 is the bootstrap
 * peer, the others join through it; every node is a worker. Keys and logs live in the runner's
 * directory. {@link #close()} kills every process still alive.
 */
final class PhaseNetwork implements AutoCloseable {
  /** One {@code phase node} process. */
  record Node(int index, Process process, PeerId peer, Multiaddr address, Path stderr) {
    String log() throws IOException {
      return Files.readString(stderr);
    }
  }

  private final PhaseRunner runner;
  private final List<Node> nodes = new ArrayList<>();

  private PhaseNetwork(PhaseRunner runner) {
    this.runner = runner;
  }

  /**
   * Starts {@code count} nodes, node i with the extra options {@code options.apply(i)}, logging at
   * INFO, and waits until every one is listed as a worker by {@code phase peers}.
   */
  static PhaseNetwork start(PhaseRunner runner, int count, IntFunction<List<String>> options)
      throws Exception {
    PhaseNetwork network = new PhaseNetwork(runner);
    try {
      for (int i = 0; i < count; i++) {
        network.startNode(i, options.apply(i));
      }
      network.awaitAdvertised();
      return network;
    } catch (Throwable t) {
      network.close();
      throw t;
    }
  }

  private void startNode(int i, List<String> extra) throws Exception {
    nodes.add(launch(i, extra, ""));
  }

  /**
   * Starts node {@code index} again, with the same key and options {@code extra}, after its process
   * died (e.g. {@code kill -9}); it joins through node 0 and takes the old one's place.
   */
  Node restart(int index, List<String> extra) throws Exception {
    Node old = nodes.get(index);
    if (old.process().isAlive()) {
      throw new IllegalStateException("node " + index + " is still running");
    }
    Node fresh = launch(index, extra, ".restart" + (++restarts));
    nodes.set(index, fresh);
    return fresh;
  }

  private int restarts;

  private Node launch(int i, List<String> extra, String suffix) throws Exception {
    List<String> args = new ArrayList<>();
    args.add("node");
    args.addAll(
        List.of(
            "--key",
            runner.dir().resolve("node" + i + ".key").toString(),
            "--listen",
            "/ip4/127.0.0.1/tcp/0"));
    if (i > 0) {
      args.add("--bootstrap");
      args.add(bootstrap());
    }
    args.addAll(extra);
    Path stdout = runner.dir().resolve("node" + i + suffix + ".out");
    Path stderr = runner.dir().resolve("node" + i + suffix + ".err");
    ProcessBuilder builder =
        runner
            .builder(args.toArray(String[]::new))
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile());
    builder.environment().put("PHASE_LOG_LEVEL", "INFO");
    Process process = builder.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.readString(stdout).contains("LISTEN ")) {
      if (!process.isAlive()) {
        fail(
            "phase node " + i + " exited " + process.exitValue() + ": " + Files.readString(stderr));
      }
      if (System.nanoTime() > deadline) {
        PhaseRunner.kill(process);
        fail("phase node " + i + " printed no LISTEN line within 60 s");
      }
      Thread.sleep(100);
    }
    Thread.sleep(200); // let the whole line arrive
    Multiaddr address = NodeIT.listenLines(stdout).get(0);
    return new Node(i, process, address.peerId().orElseThrow(), address, stderr);
  }

  /** Asks {@code phase peers} until every node is listed as a worker (bounded). */
  private void awaitAdvertised() throws Exception {
    Set<PeerId> expected = new HashSet<>();
    nodes.forEach(n -> expected.add(n.peer()));
    Set<PeerId> found = Set.of();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      var result = runner.run("peers", "--bootstrap", bootstrap(), "--json", "--timeout-s", "20");
      if (result.exitCode() == 0) {
        JsonNode doc = new ObjectMapper().readTree(result.stdout());
        found = new HashSet<>();
        for (JsonNode w : doc.get("workers")) {
          found.add(PeerId.parse(w.get("peer_id").asText()));
        }
        if (found.equals(expected)) {
          return;
        }
      }
      Thread.sleep(1000);
    }
    fail("workers advertised: " + found + ", expected " + expected);
  }

  /** The bootstrap address (node 0's), ending in /p2p/. */
  String bootstrap() {
    return nodes.get(0).address().toString();
  }

  Node node(int index) {
    return nodes.get(index);
  }

  List<Node> nodes() {
    return List.copyOf(nodes);
  }

  /** The node whose peer id is {@code peer}. */
  Optional<Node> byPeer(PeerId peer) {
    return nodes.stream().filter(n -> n.peer().equals(peer)).findFirst();
  }

  /** Sends {@code signal} (e.g. "TERM", "KILL") to a node's process. */
  static void signal(Process process, String signal) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start();
    assertTrue(kill.waitFor(10, TimeUnit.SECONDS), "kill -" + signal + " hung");
  }

  @Override
  public void close() throws InterruptedException {
    for (Node node : nodes) {
      PhaseRunner.kill(node.process());
    }
  }
}
