package io.phase.core.node;

import io.phase.core.discovery.WorkerDetails;
import io.phase.core.identity.NodeKey;
import io.phase.p2p.host.HostLimits;
import io.phase.p2p.kad.KadMode;
import io.phase.p2p.kad.KadServiceConfig;
import io.phase.p2p.multiaddr.Multiaddr;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a Phase node needs to start.
 *
 * @param agentVersion what Identify tells peers, e.g. {@code phase/0.1.0}
 * @param bootstrap DHT peers to join through, each ending in {@code /p2p/<peer id>} (at most {@link
 *     KadServiceConfig#MAX_BOOTSTRAP}); empty to start a network
 * @param dhtMode {@link KadMode#SERVER} for long-lived reachable nodes, {@link KadMode#CLIENT} for
 *     short-lived queries
 * @param worker if present, the node is a worker: it serves signed details on {@code
 *     /phase/worker-info/1.0.0} and advertises its capability once it has joined
 */
public record NodeConfig(
    NodeKey key,
    List<Multiaddr> listen,
    String agentVersion,
    HostLimits limits,
    List<Multiaddr> bootstrap,
    KadMode dhtMode,
    Optional<WorkerDetails> worker) {

  /** Checks non-null fields and the bootstrap addresses; copies the lists. */
  public NodeConfig {
    Objects.requireNonNull(key, "key");
    listen = List.copyOf(listen);
    Objects.requireNonNull(agentVersion, "agentVersion");
    Objects.requireNonNull(limits, "limits");
    bootstrap = List.copyOf(bootstrap);
    if (bootstrap.size() > KadServiceConfig.MAX_BOOTSTRAP) {
      throw new IllegalArgumentException(
          "at most " + KadServiceConfig.MAX_BOOTSTRAP + " bootstrap addresses");
    }
    for (Multiaddr a : bootstrap) {
      if (a.peerId().isEmpty()) {
        throw new IllegalArgumentException("bootstrap address must end in /p2p/<peer id>: " + a);
      }
    }
    Objects.requireNonNull(dhtMode, "dhtMode");
    Objects.requireNonNull(worker, "worker");
  }

  /** A DHT server that is not a worker, with no bootstrap peers and default limits. */
  public static NodeConfig of(NodeKey key, List<Multiaddr> listen, String agentVersion) {
    return new NodeConfig(
        key, listen, agentVersion, HostLimits.DEFAULT, List.of(), KadMode.SERVER, Optional.empty());
  }

  /** This configuration with these bootstrap peers. */
  public NodeConfig withBootstrap(List<Multiaddr> peers) {
    return new NodeConfig(key, listen, agentVersion, limits, peers, dhtMode, worker);
  }

  /** This configuration with these host limits. */
  public NodeConfig withLimits(HostLimits value) {
    return new NodeConfig(key, listen, agentVersion, value, bootstrap, dhtMode, worker);
  }

  /** This configuration with this DHT mode. */
  public NodeConfig withDhtMode(KadMode mode) {
    return new NodeConfig(key, listen, agentVersion, limits, bootstrap, mode, worker);
  }

  /** This configuration as a worker with these details. */
  public NodeConfig withWorker(WorkerDetails details) {
    return new NodeConfig(
        key, listen, agentVersion, limits, bootstrap, dhtMode, Optional.of(details));
  }
}
