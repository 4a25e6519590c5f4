package io.phase.cli;

import io.phase.p2p.errors.Causes;
import io.phase.p2p.host.Connection;
import io.phase.p2p.host.Host;
import io.phase.p2p.multiaddr.Multiaddr;
import io.phase.p2p.noise.PeerIdMismatchException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Explains a failed join: dials each bootstrap peer once more (in parallel, bounded) and reports
 * what its handshake revealed, e.g. that the peer at the address has another peer id.
 */
final class BootstrapDiagnosis {
  private BootstrapDiagnosis() {}

  /** {@code ": the peer at ADDR is X, not Y"} for each mismatch found, else the empty string. */
  static String explain(Host host, List<Multiaddr> peers, Duration timeout) {
    List<CompletableFuture<Connection>> dials = new ArrayList<>();
    for (Multiaddr peer : peers) {
      try {
        dials.add(host.dial(peer));
      } catch (RuntimeException e) {
        dials.add(CompletableFuture.failedFuture(e));
      }
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    List<String> found = new ArrayList<>();
    for (int i = 0; i < dials.size(); i++) {
      CompletableFuture<Connection> dial = dials.get(i);
      try {
        long left = Math.max(1, deadline - System.nanoTime());
        dial.get(left, TimeUnit.NANOSECONDS);
      } catch (ExecutionException e) {
        if (Causes.root(e) instanceof PeerIdMismatchException m) {
          found.add(
              "the peer at "
                  + withoutPeerId(peers.get(i))
                  + " is "
                  + m.actual()
                  + ", not "
                  + m.expected());
        }
      } catch (TimeoutException e) {
        dial.cancel(true);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return found.isEmpty() ? "" : ": " + String.join("; ", found);
  }

  private static String withoutPeerId(Multiaddr address) {
    String text = address.toString();
    int p2p = text.lastIndexOf("/p2p/");
    return p2p < 0 ? text : text.substring(0, p2p);
  }
}
