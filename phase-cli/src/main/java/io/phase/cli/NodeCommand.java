package io.phase.cli;

import io.phase.core.discovery.WorkerDetails;
import io.phase.core.discovery.WorkerLoad;
import io.phase.core.node.NodeConfig;
import io.phase.core.node.PhaseNode;
import io.phase.p2p.multiaddr.Multiaddr;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code phase node}: run a Phase node until SIGINT or SIGTERM. */
@Command(
    name = "node",
    description = {
      "Run a Phase node. Once it listens, prints one line per dialable address on stdout:",
      "  LISTEN <multiaddr>/p2p/<peer id>",
      "joins the DHT (retrying while the bootstrap peers are down), advertises its capability",
      "/phase/capability/<arch>/wasm and runs until SIGINT or SIGTERM, then shuts down cleanly."
    },
    mixinStandardHelpOptions = true,
    sortOptions = false)
final class NodeCommand implements Callable<Integer> {
  @Option(
      names = "--listen",
      paramLabel = "MULTIADDR",
      description =
          "Address to listen on (repeatable), e.g. /ip4/0.0.0.0/tcp/4001 (default) or /ip4/127.0.0.1/tcp/0.")
  List<String> listen = new ArrayList<>();

  @Option(
      names = "--bootstrap",
      paramLabel = "MULTIADDR",
      description =
          "DHT peer to join through, ending in /p2p/<peer id> (repeatable). Without one, the node"
              + " starts a new network.")
  List<String> bootstrap = new ArrayList<>();

  @Mixin KeyOption key;

  @Override
  public Integer call() {
    List<Multiaddr> addresses = new ArrayList<>();
    for (String text : listen.isEmpty() ? List.of("/ip4/0.0.0.0/tcp/4001") : listen) {
      addresses.add(Parsing.multiaddr(text, "--listen"));
    }
    List<Multiaddr> peers = new ArrayList<>();
    for (String text : bootstrap) {
      peers.add(Parsing.bootstrap(text, "--bootstrap"));
    }
    // Every `phase node` is a worker: it advertises its capability with the sandbox's operator
    // maximums. Its load is idle until the job service runs on it.
    NodeConfig config =
        NodeConfig.of(
                key.loadOrCreate(ExitCodes.USAGE), addresses, "phase/" + PhaseVersion.version())
            .withBootstrap(peers)
            .withWorker(WorkerDetails.local(() -> WorkerLoad.IDLE));
    PhaseNode node;
    try {
      node = PhaseNode.start(config);
    } catch (IOException e) {
      throw new UserError(1, "cannot start the node: " + e.getMessage());
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  node.close();
                  stopped.countDown();
                },
                "phase-node-shutdown"));
    PrintStream out = System.out;
    for (Multiaddr address : node.addresses()) {
      out.println("LISTEN " + address);
    }
    out.flush();
    try {
      while (!stopped.await(1, TimeUnit.HOURS)) {
        // a daemon: runs until a signal stops it
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }
}
