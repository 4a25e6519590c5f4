package io.phase.p2p.interop;

import io.phase.p2p.host.Connection;
import io.phase.p2p.host.Host;
import io.phase.p2p.identify.Identify;
import io.phase.p2p.identify.IdentifyResult;
import io.phase.p2p.multiaddr.Multiaddr;
import io.phase.p2p.peer.PeerId;
import io.phase.p2p.ping.Ping;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * The Java side of the interop tests: a {@link Host} on 127.0.0.1 with Identify, Ping and {@value
 * #ECHO} (the same echo behaviour as the js peer's), so either side can dial, identify, ping and
 * echo through the other.
 */
final class JavaNode implements AutoCloseable {
  static final String AGENT = "phase-interop/java";
  static final String ECHO = "/phase/echo/1.0.0";

  final Host host;
  final Identify identify;
  final Ping ping;

  private JavaNode(Host host) {
    this.host = host;
    host.setStreamHandler(ECHO, s -> s.channel().pipeline().addLast(new EchoHandler()));
    this.identify = Identify.attach(host);
    this.ping = Ping.attach(host, Duration.ofSeconds(30));
  }

  static JavaNode start() throws IOException {
    return new JavaNode(
        Host.builder().agentVersion(AGENT).listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")).build());
  }

  /** Our dialable address, with {@code /p2p/}. */
  Multiaddr address() {
    return host.listenAddresses().get(0).withP2p(host.peerId());
  }

  /** The open connection to {@code peer}, waiting for it to appear (e.g. after js dialed us). */
  Connection connectionTo(PeerId peer) throws InterruptedException {
    return Eventually.get(
        () -> host.connections(peer).stream().filter(Connection::isOpen).findFirst(),
        "connection to " + peer);
  }

  /** What our automatic Identify stored about {@code peer}, waiting for it. */
  IdentifyResult identified(PeerId peer) throws InterruptedException {
    return Eventually.get(() -> identify.peerStore().get(peer), "identify result for " + peer);
  }

  Optional<IdentifyResult> stored(PeerId peer) {
    return identify.peerStore().get(peer);
  }

  @Override
  public void close() {
    host.close(Duration.ofSeconds(5));
  }
}
