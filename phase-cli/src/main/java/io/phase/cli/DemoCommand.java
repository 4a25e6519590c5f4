package io.phase.cli;

import io.phase.core.client.ClientConfig;
import io.phase.core.client.DhtWorkerDirectory;
import io.phase.core.client.JobHandle;
import io.phase.core.client.JobOutcome;
import io.phase.core.client.JobSpec;
import io.phase.core.client.PhaseClient;
import io.phase.core.discovery.Capability;
import io.phase.core.identity.NodeKey;
import io.phase.core.node.NodeConfig;
import io.phase.core.node.PhaseNode;
import io.phase.core.node.WorkerNode;
import io.phase.core.protocol.RunLimits;
import io.phase.core.worker.WorkerPolicy;
import io.phase.p2p.kad.KadMode;
import io.phase.p2p.multiaddr.Multiaddr;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code phase demo}: a small Phase network on loopback in this process — a few workers and a
 * client, all with throwaway keys — that finds a worker through the DHT, runs the bundled example
 * step on it, and verifies the receipt.
 */
@Command(
    name = "demo",
    description = {
      "Run the example step on a small Phase network on loopback.",
      "Start a small Phase network on loopback (workers and a client with throwaway keys), run",
      "the bundled example step on a worker found through the DHT, print its output and verify",
      "the signed receipt. Nothing is written to disk and nothing leaves this machine."
    },
    mixinStandardHelpOptions = true,
    sortOptions = false)
final class DemoCommand implements Callable<Integer> {
  private static final String STEP = "/io/phase/cli/demo/hello-step.wasm";
  private static final Duration STEP_TIMEOUT = Duration.ofSeconds(60);

  @Option(
      names = "--workers",
      paramLabel = "N",
      description = "Workers to start (default ${DEFAULT-VALUE}).")
  int workers = 3;

  @Override
  public Integer call() throws Exception {
    if (workers < 1 || workers > 8) {
      throw new UserError(ExitCodes.USAGE, "--workers must be between 1 and 8");
    }
    byte[] step = bundledStep();
    String arch = Capability.localArch();
    WorkerPolicy policy = WorkerPolicy.builder(arch, "chicory").maxMemoryMb(256).jobs(2, 8).build();
    List<WorkerNode> nodes = new ArrayList<>();
    try {
      List<Multiaddr> bootstrap = List.of();
      for (int i = 0; i < workers; i++) {
        NodeConfig config =
            NodeConfig.of(
                    NodeKey.generate(), List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")), agent())
                .withBootstrap(bootstrap);
        WorkerNode worker = WorkerNode.start(config, policy);
        nodes.add(worker);
        if (bootstrap.isEmpty()) {
          bootstrap = List.of(worker.node().addresses().get(0));
        }
        System.out.println("worker " + (i + 1) + ": " + worker.node().addresses().get(0));
      }
      for (WorkerNode worker : nodes) {
        wait(worker.node().advertised(), "a worker to advertise itself");
      }
      NodeConfig clientConfig =
          NodeConfig.of(NodeKey.generate(), List.of(), agent())
              .withBootstrap(bootstrap)
              .withDhtMode(KadMode.CLIENT)
              .withLimits(PhaseClient.HOST_LIMITS);
      try (PhaseNode clientNode = PhaseNode.start(clientConfig)) {
        wait(clientNode.joined(), "the client to join the DHT");
        System.out.println("client: " + clientNode.peerId() + " (DHT client)");
        var directory =
            new DhtWorkerDirectory(
                clientNode.discovery(), arch, Duration.ofSeconds(20), Optional.empty());
        try (PhaseClient client = new PhaseClient(clientNode, directory, ClientConfig.defaults())) {
          JobSpec spec =
              JobSpec.of(step, new RunLimits(64, STEP_TIMEOUT.toMillis(), 1 << 20), arch, "chicory")
                  .withArgs(List.of("from", "phase", "demo"));
          System.out.println("running hello-step.wasm on the network...");
          System.out.println();
          try (RemoteOutput output = new RemoteOutput(null, StatusLine.forStderr(null))) {
            JobHandle handle = client.submit(spec, output);
            JobOutcome outcome = wait(handle.outcome(), "the job");
            output.finish();
            var result = outcome.receipt().result();
            System.out.println();
            System.out.println(
                "receipt verified: job "
                    + outcome.jobId()
                    + " ran "
                    + result.moduleHash()
                    + " on worker "
                    + outcome.worker()
                    + ": "
                    + result.outcome().wireName()
                    + result.exitCode().stream().mapToObj(c -> "(" + c + ")").findFirst().orElse("")
                    + ", signature by the worker's key, output commitment replayed over "
                    + result.output().chunks()
                    + " chunks");
            return result.exitCode().orElse(1);
          }
        }
      }
    } catch (IOException e) {
      throw new UserError(1, "cannot start the demo network: " + e.getMessage());
    } finally {
      for (WorkerNode node : nodes) {
        node.close();
      }
    }
  }

  private static String agent() {
    return "phase/" + PhaseVersion.version();
  }

  private static byte[] bundledStep() throws IOException {
    try (InputStream in = DemoCommand.class.getResourceAsStream(STEP)) {
      if (in == null) {
        throw new UserError(1, "the example step is missing from this build");
      }
      return in.readAllBytes();
    }
  }

  private static <T> T wait(java.util.concurrent.CompletableFuture<T> future, String what) {
    try {
      return future.get(60, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new UserError(1, "timed out waiting for " + what);
    } catch (ExecutionException e) {
      throw new UserError(1, "waiting for " + what + " failed: " + e.getCause().getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError(ExitCodes.CANCELLED, "interrupted");
    }
  }
}
