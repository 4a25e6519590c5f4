package io.phase.jenkins;

import io.phase.core.discovery.DiscoveredWorker;
import io.phase.core.discovery.WorkerInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What the peers dashboard shows, taken in the background: the controller's own node (peer id,
 * addresses, whether it joined the DHT, steps it follows) and the workers it found with their
 * signed details and load. Pages render a snapshot; they never wait for the network.
 *
 * @param takenAt when the snapshot was taken
 * @param peerId the controller's peer id, or empty when no node runs
 * @param addresses the controller's dialable addresses
 * @param joined whether the node joined the DHT
 * @param runningSteps steps the node follows now
 * @param workers the workers found (at most {@link #MAX_WORKERS})
 * @param problem why the node or the worker search failed, or empty
 */
public record PeersSnapshot(
    Instant takenAt,
    String peerId,
    List<String> addresses,
    boolean joined,
    int runningSteps,
    List<Worker> workers,
    String problem) {

  /** The most workers a snapshot lists. */
  public static final int MAX_WORKERS = 500;

  public PeersSnapshot {
    addresses = List.copyOf(addresses);
    workers = List.copyOf(workers.size() > MAX_WORKERS ? workers.subList(0, MAX_WORKERS) : workers);
    problem = problem == null ? "" : PhaseSettings.printable(problem);
  }

  /** A snapshot without a node, saying why. */
  public static PeersSnapshot none(Instant now, String problem) {
    return new PeersSnapshot(now, "", List.of(), false, 0, List.of(), problem);
  }

  /** How long ago the snapshot was taken, e.g. {@code 12 s}. */
  public String age(Instant now) {
    long s = Math.max(0, Duration.between(takenAt, now).toSeconds());
    return s < 120 ? s + " s" : (s / 60) + " min";
  }

  /** {@link #age(Instant)} as of now. */
  public String getAge() {
    return age(Instant.now());
  }

  /** One worker's row: its peer id, addresses and verified details. */
  public record Worker(
      String peerId,
      List<String> addresses,
      String arch,
      int cpuCores,
      long memoryMb,
      String runtime,
      long maxJobMemoryMb,
      long maxJobTimeoutS,
      long maxModuleMb,
      int runningJobs,
      int queuedJobs,
      Instant issuedAt) {

    /** The row of a discovered worker. */
    public static Worker of(DiscoveredWorker w) {
      WorkerInfo i = w.info();
      return new Worker(
          w.peer().toBase58(),
          w.addresses().stream().limit(16).map(Object::toString).toList(),
          i.arch(),
          i.cpuCores(),
          i.memoryMb(),
          i.runtimeName() + " " + i.runtimeVersion(),
          i.maxJobMemoryMb(),
          i.maxJobTimeoutMs() / 1000,
          i.maxModuleBytes() >> 20,
          i.runningJobs(),
          i.queuedJobs(),
          i.issuedAt());
    }
  }
}
