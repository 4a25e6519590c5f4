package io.phase.core.discovery;

import io.phase.core.identity.NodeKey;
import io.phase.p2p.host.Host;
import io.phase.p2p.kad.KadService;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker side of discovery: serves {@link WorkerInfoProtocol} with details signed by the node
 * key, and provides both {@link Capability} keys of its arch on the DHT (republished by the {@link
 * KadService}).
 */
public final class WorkerAdvertiser implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerAdvertiser.class);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private final Host host;
  private final KadService kad;
  private final NodeKey key;
  private final WorkerDetails details;
  private final Clock clock;

  /** Creates the advertiser; nothing happens until {@link #serve} and {@link #advertise}. */
  public WorkerAdvertiser(
      Host host, KadService kad, NodeKey key, WorkerDetails details, Clock clock) {
    this.host = Objects.requireNonNull(host, "host");
    this.kad = Objects.requireNonNull(kad, "kad");
    this.key = Objects.requireNonNull(key, "key");
    this.details = Objects.requireNonNull(details, "details");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (!host.peerId().equals(key.peerId())) {
      throw new IllegalArgumentException("host and node key differ");
    }
  }

  /** The details as of now. */
  public WorkerInfo currentInfo() {
    WorkerLoad load = details.load().get();
    return new WorkerInfo(
        key.peerId(),
        details.arch(),
        details.cpuCores(),
        details.memoryMb(),
        details.runtimeName(),
        details.runtimeVersion(),
        details.maxJobMemoryMb(),
        details.maxJobTimeoutMs(),
        details.maxModuleBytes(),
        load.running(),
        load.queued(),
        clock.instant());
  }

  /** Starts answering {@value WorkerInfoProtocol#PROTOCOL_ID}. */
  public void serve() {
    currentInfo(); // fail early on details WorkerInfo would refuse
    WorkerInfoProtocol.serve(
        host, () -> SignedWorkerInfo.sign(key, currentInfo()), REQUEST_TIMEOUT);
  }

  /**
   * Provides the capability keys (raw and multihash) of this worker's arch.
   *
   * @return for each key, the number of peers the announcement reached
   */
  public CompletableFuture<List<Integer>> advertise() {
    List<CompletableFuture<Integer>> provides = new ArrayList<>();
    for (byte[] k : Capability.keys(details.arch())) {
      provides.add(kad.provide(k));
    }
    return CompletableFuture.allOf(provides.toArray(CompletableFuture[]::new))
        .thenApply(v -> provides.stream().map(CompletableFuture::join).toList())
        .whenComplete(
            (n, e) ->
                LOG.info(
                    "worker_advertised peer={} capability={} delivered={} error={}",
                    key.peerId(),
                    Capability.name(details.arch()),
                    n,
                    e == null ? "none" : e.toString()));
  }

  /** Stops serving details and stops republishing the capability. */
  @Override
  public void close() {
    WorkerInfoProtocol.stop(host);
    for (byte[] k : Capability.keys(details.arch())) {
      kad.stopProviding(k);
    }
  }
}
