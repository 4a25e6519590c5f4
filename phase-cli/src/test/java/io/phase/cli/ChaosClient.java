package io.phase.cli;

import io.phase.core.client.ClientConfig;
import io.phase.core.client.DhtWorkerDirectory;
import io.phase.core.client.JobEvent;
import io.phase.core.client.JobHandle;
import io.phase.core.client.JobListener;
import io.phase.core.client.JobOutcome;
import io.phase.core.client.PhaseClient;
import io.phase.core.discovery.Capability;
import io.phase.core.identity.NodeKey;
import io.phase.core.node.NodeConfig;
import io.phase.core.node.PhaseNode;
import io.phase.core.protocol.RunLimits;
import io.phase.core.receipt.OutputKind;
import io.phase.p2p.kad.KadMode;
import io.phase.p2p.multiaddr.Multiaddr;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A client process for {@link ChaosIT}: the same client as {@code phase run} (a DHT client node,
 * {@link PhaseClient} with its defaults: three attempts, reattach, receipt verification) but many
 * jobs from one JVM, so that a hundred jobs fit in a CI run on two cores. Runs in its own JVM with
 * the shaded phase.jar on the class path; {@link #main} takes: bootstrap address, first job index,
 * job count, jobs in flight, module file, ticker ticks, output directory. For job i it writes
 * {@code i.result}: {@code ok|failed <job id> <worker> <retries> <millis>} and {@code i.out} (the
 * stdout delivered, duplicates suppressed as for {@code phase run}). Exit 0 when every job got a
 * verified receipt, 1 otherwise.
 */
public final class ChaosClient {
  private ChaosClient() {}

  public static void main(String[] args) throws Exception {
    Multiaddr bootstrap = Multiaddr.parse(args[0]);
    int first = Integer.parseInt(args[1]);
    int count = Integer.parseInt(args[2]);
    int inFlight = Integer.parseInt(args[3]);
    byte[] module = Files.readAllBytes(Path.of(args[4]));
    String ticks = args[5];
    Path out = Path.of(args[6]);
    NodeConfig config =
        NodeConfig.of(NodeKey.generate(), List.of(), "phase/chaos-client")
            .withBootstrap(List.of(bootstrap))
            .withDhtMode(KadMode.CLIENT)
            .withLimits(PhaseClient.HOST_LIMITS);
    AtomicInteger failed = new AtomicInteger();
    try (PhaseNode node = PhaseNode.start(config)) {
      node.joined().get(60, TimeUnit.SECONDS);
      try (PhaseClient client =
          new PhaseClient(
              node,
              new DhtWorkerDirectory(
                  node.discovery(),
                  Capability.localArch(),
                  Duration.ofSeconds(15),
                  Optional.empty()),
              ClientConfig.defaults())) {
        Semaphore slots = new Semaphore(inFlight);
        ExecutorService waiters = Executors.newCachedThreadPool();
        for (int i = first; i < first + count; i++) {
          slots.acquire();
          int index = i;
          long start = System.nanoTime();
          ByteArrayOutputStream stdout = new ByteArrayOutputStream();
          AtomicInteger retries = new AtomicInteger();
          JobListener listener =
              new JobListener() {
                @Override
                public synchronized void onOutput(OutputKind kind, byte[] data) {
                  if (kind == OutputKind.STDOUT) {
                    stdout.write(data, 0, data.length);
                  }
                }

                @Override
                public void onEvent(JobEvent event) {
                  if (event instanceof JobEvent.Retry) {
                    retries.incrementAndGet();
                  }
                }
              };
          JobHandle handle =
              client.submit(
                  io.phase.core.client.JobSpec.of(
                          module,
                          new RunLimits(64, 60_000, 1 << 20),
                          Capability.localArch(),
                          "chicory")
                      .withArgs(List.of(ticks, "100")),
                  listener);
          waiters.execute(
              () -> {
                String line;
                try {
                  JobOutcome outcome = handle.outcome().get(180, TimeUnit.SECONDS);
                  line = "ok " + outcome.jobId() + " " + outcome.worker();
                } catch (Exception e) {
                  failed.incrementAndGet();
                  line = "failed - " + e.toString().replace(' ', '_').replace('\n', '_');
                }
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                try {
                  synchronized (listener) {
                    Files.write(out.resolve(index + ".out"), stdout.toByteArray());
                  }
                  Files.writeString(
                      out.resolve(index + ".result"),
                      line + " " + retries.get() + " " + millis + "\n",
                      StandardCharsets.UTF_8);
                } catch (Exception e) {
                  failed.incrementAndGet();
                } finally {
                  slots.release();
                }
              });
        }
        slots.acquire(inFlight);
        waiters.shutdown();
      }
    }
    System.exit(failed.get() == 0 ? 0 : 1);
  }
}
