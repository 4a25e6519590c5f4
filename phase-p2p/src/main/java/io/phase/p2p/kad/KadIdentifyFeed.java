package io.phase.p2p.kad;

import io.phase.p2p.host.Connection;
import io.phase.p2p.host.ConnectionListener;
import io.phase.p2p.host.Host;
import io.phase.p2p.identify.Identify;
import io.phase.p2p.identify.IdentifyResult;
import io.phase.p2p.identify.PeerStore;
import io.phase.p2p.kad.routing.PeerInfo;
import io.phase.p2p.multiaddr.Multiaddr;
import io.phase.p2p.peer.PeerId;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Feeds Identify results to the DHT: the listen addresses Identify learnt are the address book of
 * {@link KadProtocol} (for peers that dialed us), and every newly identified peer that announces
 * {@value KadProtocol#PROTOCOL_ID} is offered to the routing table ({@link KadNode#offerPeer}:
 * probed, added if it answers). Attach after {@link Identify#attach}, so the automatic exchange of
 * a new connection is the one awaited.
 */
public final class KadIdentifyFeed implements AutoCloseable {
  private final Host host;
  private final ConnectionListener listener;

  private KadIdentifyFeed(Host host, ConnectionListener listener) {
    this.host = host;
    this.listener = listener;
  }

  /** The listen addresses of {@code peer} in {@code store}, or none. */
  public static Function<PeerId, List<Multiaddr>> addressBook(PeerStore store) {
    Objects.requireNonNull(store, "store");
    return peer -> store.get(peer).map(IdentifyResult::listenAddresses).orElse(List.of());
  }

  /**
   * Starts offering identified DHT servers among {@code host}'s new connections to {@code node}.
   */
  public static KadIdentifyFeed attach(Host host, Identify identify, KadNode node) {
    Objects.requireNonNull(identify, "identify");
    Objects.requireNonNull(node, "node");
    ConnectionListener listener =
        new ConnectionListener() {
          @Override
          public void connectionOpened(Connection connection) {
            identify
                .identify(connection)
                .thenAccept(
                    r -> {
                      if (r.supports(KadProtocol.PROTOCOL_ID) && !r.listenAddresses().isEmpty()) {
                        node.offerPeer(new PeerInfo(r.peer(), r.listenAddresses()));
                      }
                    });
          }
        };
    host.addConnectionListener(listener);
    return new KadIdentifyFeed(host, listener);
  }

  /** Stops offering peers. */
  @Override
  public void close() {
    host.removeConnectionListener(listener);
  }
}
