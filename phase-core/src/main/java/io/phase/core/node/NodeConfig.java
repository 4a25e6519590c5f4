package io.phase.core.node;

import io.phase.core.identity.NodeKey;
import io.phase.p2p.host.HostLimits;
import io.phase.p2p.multiaddr.Multiaddr;
import java.util.List;
import java.util.Objects;

/**
 * What a Phase node needs to start.
 *
 * @param agentVersion what Identify tells peers, e.g. {@code phase/0.1.0}
 */
public record NodeConfig(
    NodeKey key, List<Multiaddr> listen, String agentVersion, HostLimits limits) {

  public NodeConfig {
    Objects.requireNonNull(key, "key");
    listen = List.copyOf(listen);
    Objects.requireNonNull(agentVersion, "agentVersion");
    Objects.requireNonNull(limits, "limits");
  }

  public static NodeConfig of(NodeKey key, List<Multiaddr> listen, String agentVersion) {
    return new NodeConfig(key, listen, agentVersion, HostLimits.DEFAULT);
  }
}
