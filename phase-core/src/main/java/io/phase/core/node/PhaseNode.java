package io.phase.core.node;

import io.phase.p2p.host.Host;
import io.phase.p2p.identify.Identify;
import io.phase.p2p.multiaddr.Multiaddr;
import io.phase.p2p.peer.PeerId;
import io.phase.p2p.ping.Ping;
import io.phase.p2p.transport.WildcardAddresses;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Phase node: a libp2p host with this node's key, listening, serving the protocols every
 * node speaks. The facade the CLI daemon (and later the Jenkins plugin) starts and stops.
 */
public final class PhaseNode implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PhaseNode.class);
  private static final Duration LISTEN_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

  private final Host host;
  private final Identify identify;
  private final Ping ping;
  private final List<Multiaddr> addresses;

  private PhaseNode(Host host, Identify identify, Ping ping, List<Multiaddr> addresses) {
    this.host = host;
    this.identify = identify;
    this.ping = ping;
    this.addresses = addresses;
  }

  /** Starts the host and listens on every configured address; fails if any cannot be bound. */
  public static PhaseNode start(NodeConfig config) throws IOException {
    Host host =
        Host.builder()
            .identity(config.key().privateKey())
            .agentVersion(config.agentVersion())
            .limits(config.limits())
            .build();
    Identify identify = Identify.attach(host);
    Ping ping = Ping.attach(host);
    try {
      List<Multiaddr> bound =
          host.listen(config.listen().toArray(Multiaddr[]::new))
              .get(LISTEN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      List<Multiaddr> dialable = new ArrayList<>();
      for (int i = 0; i < bound.size(); i++) {
        dialable.addAll(WildcardAddresses.expand(config.listen().get(i), bound.get(i)));
      }
      log.info("node.started peer={} addresses={}", host.peerId(), dialable);
      return new PhaseNode(host, identify, ping, List.copyOf(dialable));
    } catch (ExecutionException e) {
      host.close();
      Throwable cause = e.getCause();
      throw cause instanceof IOException io ? io : new IOException(cause.getMessage(), cause);
    } catch (TimeoutException e) {
      host.close();
      throw new IOException("listening did not complete within " + LISTEN_TIMEOUT);
    } catch (InterruptedException e) {
      host.close();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while starting");
    }
  }

  public PeerId peerId() {
    return host.peerId();
  }

  /** Addresses peers can dial, each ending in {@code /p2p/<peer id>}. */
  public List<Multiaddr> addresses() {
    return addresses.stream().map(a -> a.withP2p(host.peerId())).toList();
  }

  public Host host() {
    return host;
  }

  /** Identify: what connected peers told us about themselves (verified against their keys). */
  public Identify identify() {
    return identify;
  }

  public Ping ping() {
    return ping;
  }

  /** Closes connections gracefully (GoAway), bounded by a few seconds. */
  @Override
  public void close() {
    ping.close();
    identify.close();
    host.close(CLOSE_TIMEOUT);
    log.info("node.stopped peer={}", host.peerId());
  }
}
