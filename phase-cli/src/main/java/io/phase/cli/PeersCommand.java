package io.phase.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.phase.core.discovery.Capability;
import io.phase.core.discovery.DiscoveredWorker;
import io.phase.core.discovery.WorkerInfo;
import io.phase.core.identity.NodeKey;
import io.phase.core.node.NodeConfig;
import io.phase.core.node.PhaseNode;
import io.phase.p2p.kad.KadMode;
import io.phase.p2p.multiaddr.Multiaddr;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code phase peers}: find workers on the DHT and print their verified details. */
@Command(
    name = "peers",
    description = {
      "List the workers found in the DHT, with their verified details.",
      "Join the DHT as a client (with a throw-away key) through the bootstrap peers and list the",
      "workers advertising /phase/capability/<arch>/wasm whose signed details verify: peer id,",
      "addresses, arch, cores, memory, runtime, largest job and current load.",
      "With --watch, searches again every --interval-s until interrupted.",
      "Exits 3 if no bootstrap peer can be reached."
    },
    mixinStandardHelpOptions = true,
    sortOptions = false)
final class PeersCommand implements Callable<Integer> {
  private static final Duration MAX_JOIN_WAIT = Duration.ofSeconds(15);

  @Option(
      names = "--bootstrap",
      paramLabel = "MULTIADDR",
      description =
          "DHT peer to join through, ending in /p2p/<peer id> (repeatable). Default: the"
              + " space- or comma-separated multiaddrs in $PHASE_BOOTSTRAP.")
  List<String> bootstrap = new ArrayList<>();

  @Option(
      names = "--arch",
      paramLabel = "ARCH",
      description = "x86_64 or aarch64. Default: this machine's.")
  String arch;

  @Option(names = "--json", description = "Print one JSON document.")
  boolean json;

  @Option(
      names = "--timeout-s",
      paramLabel = "N",
      description = "Seconds to spend joining and searching, 1..600. Default: ${DEFAULT-VALUE}.")
  int timeoutSeconds = 30;

  @Option(
      names = "--watch",
      description =
          "Search again every --interval-s and print the list each time, until interrupted"
              + " (on a terminal the screen is redrawn; with --json, one document per line).")
  boolean watch;

  @Option(
      names = "--interval-s",
      paramLabel = "N",
      description = "With --watch, seconds between searches, 1..3600. Default: ${DEFAULT-VALUE}.")
  int intervalSeconds = 10;

  @Override
  public Integer call() {
    if (timeoutSeconds < 1 || timeoutSeconds > 600) {
      throw new UserError(ExitCodes.USAGE, "--timeout-s must be in 1..600: " + timeoutSeconds);
    }
    if (intervalSeconds < 1 || intervalSeconds > 3600) {
      throw new UserError(ExitCodes.USAGE, "--interval-s must be in 1..3600: " + intervalSeconds);
    }
    String wanted = arch;
    if (wanted == null) {
      wanted = Capability.fromOsArch(System.getProperty("os.arch", "")).orElse("x86_64");
    } else if (!Capability.ARCHES.contains(wanted)) {
      throw new UserError(ExitCodes.USAGE, "--arch must be one of " + Capability.ARCHES);
    }
    List<Multiaddr> peers =
        Parsing.bootstrapPeers(bootstrap, System.getenv(Parsing.BOOTSTRAP_ENV), ExitCodes.USAGE);
    NodeConfig config =
        NodeConfig.of(NodeKey.generate(), List.of(), "phase/" + PhaseVersion.version())
            .withBootstrap(peers)
            .withDhtMode(KadMode.CLIENT);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    try (PhaseNode node = PhaseNode.start(config)) {
      long joinWait = Math.min(MAX_JOIN_WAIT.toMillis(), TimeUnit.SECONDS.toMillis(timeoutSeconds));
      try {
        node.joined().get(joinWait, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        throw new UserError(
            ExitCodes.UNREACHABLE,
            "cannot reach any bootstrap peer within " + joinWait / 1000 + " s: " + peers);
      }
      Duration left =
          Duration.ofNanos(Math.max(TimeUnit.SECONDS.toNanos(1), deadline - System.nanoTime()));
      List<DiscoveredWorker> workers =
          node.discovery()
              .findWorkers(wanted, left)
              .get(left.toMillis() + 10_000, TimeUnit.MILLISECONDS);
      boolean redraw = watch && !json && System.console() != null;
      while (true) {
        if (redraw) {
          System.out.print("\033[H\033[2J"); // home, clear screen
        }
        if (watch && !json) {
          System.out.println(java.time.Instant.now() + "  " + workers.size() + " worker(s)");
        }
        print(System.out, wanted, workers);
        if (!watch) {
          return 0;
        }
        Thread.sleep(TimeUnit.SECONDS.toMillis(intervalSeconds));
        Duration search = Duration.ofSeconds(timeoutSeconds);
        try {
          workers =
              node.discovery()
                  .findWorkers(wanted, search)
                  .get(search.toMillis() + 10_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
          // keep watching: the network may come back
          System.err.println("phase: worker search failed, showing the previous list: " + e);
        }
      }
    } catch (IOException e) {
      throw new UserError(1, "cannot start the client node: " + e.getMessage());
    } catch (ExecutionException | TimeoutException e) {
      throw new UserError(1, "worker search failed: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError(ExitCodes.CANCELLED, "interrupted");
    }
  }

  private void print(PrintStream out, String wanted, List<DiscoveredWorker> workers) {
    if (json) {
      ObjectNode doc = JsonNodeFactory.instance.objectNode();
      doc.put("arch", wanted);
      doc.put("capability", Capability.name(wanted));
      ArrayNode list = doc.putArray("workers");
      for (DiscoveredWorker w : workers) {
        ObjectNode o = list.addObject();
        o.put("peer_id", w.peer().toBase58());
        ArrayNode addrs = o.putArray("addresses");
        w.addresses().forEach(a -> addrs.add(a.withP2p(w.peer()).toString()));
        o.set("info", w.info().toJson());
      }
      out.println(doc);
    } else if (workers.isEmpty()) {
      out.println("no workers found for " + Capability.name(wanted));
    } else {
      for (DiscoveredWorker w : workers) {
        WorkerInfo i = w.info();
        out.printf(
            "%s %s cores=%d memory_mb=%d runtime=%s/%s max_job_memory_mb=%d max_job_timeout_s=%d"
                + " max_module_bytes=%d running=%d queued=%d%n",
            w.peer(),
            i.arch(),
            i.cpuCores(),
            i.memoryMb(),
            i.runtimeName(),
            i.runtimeVersion(),
            i.maxJobMemoryMb(),
            i.maxJobTimeoutMs() / 1000,
            i.maxModuleBytes(),
            i.runningJobs(),
            i.queuedJobs());
        for (Multiaddr a : w.addresses()) {
          out.println("  " + a.withP2p(w.peer()));
        }
      }
    }
    out.flush();
  }
}
