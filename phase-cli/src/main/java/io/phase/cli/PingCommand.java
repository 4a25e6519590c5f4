package io.phase.cli;

import io.phase.core.identity.NodeKey;
import io.phase.core.node.NodeConfig;
import io.phase.core.node.PhaseNode;
import io.phase.p2p.host.Connection;
import io.phase.p2p.identify.IdentifyResult;
import io.phase.p2p.multiaddr.Multiaddr;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code phase ping}: dial a peer, identify it, and measure round trips. */
@Command(
    name = "ping",
    description = {
      "Dial a libp2p peer, identify it and measure round trips.",
      "Dial a libp2p peer (the address must end in /p2p/<peer id>), print its peer id and",
      "agent version, then each round-trip time. Exit status: 0 success, 1 any failure",
      "(unreachable, wrong peer id, no ping support), 2 usage error."
    },
    mixinStandardHelpOptions = true,
    sortOptions = false)
final class PingCommand implements Callable<Integer> {
  @Option(
      names = "--count",
      paramLabel = "N",
      description = "Round trips to measure (default ${DEFAULT-VALUE}).")
  int count = 3;

  @Option(
      names = "--timeout-s",
      paramLabel = "N",
      description = "Give up after N seconds (default ${DEFAULT-VALUE}).")
  int timeoutSeconds = 20;

  @Parameters(
      index = "0",
      paramLabel = "MULTIADDR",
      description = "e.g. /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW…")
  String address;

  @Override
  public Integer call() {
    if (count < 1 || count > 1000) {
      throw new UserError(ExitCodes.USAGE, "--count must be between 1 and 1000");
    }
    if (timeoutSeconds < 1 || timeoutSeconds > 3600) {
      throw new UserError(ExitCodes.USAGE, "--timeout-s must be between 1 and 3600");
    }
    Multiaddr target = Parsing.multiaddr(address, "MULTIADDR");
    if (target.peerId().isEmpty()) {
      throw new UserError(ExitCodes.USAGE, "MULTIADDR must end in /p2p/<peer id>");
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    // An ephemeral identity: pinging needs no stable key, and must not create one.
    NodeConfig config =
        NodeConfig.of(NodeKey.generate(), List.of(), "phase/" + PhaseVersion.version());
    try (PhaseNode node = PhaseNode.start(config)) {
      Connection connection = await(node.host().dial(target), deadline, "connecting to " + target);
      IdentifyResult identity =
          await(node.identify().identify(connection), deadline, "identifying the peer");
      System.out.println("peer " + identity.peer());
      System.out.println("agent " + printable(identity.agentVersion()));
      List<Duration> rtts = await(node.ping().ping(connection, count), deadline, "pinging");
      for (int i = 0; i < rtts.size(); i++) {
        System.out.println(
            String.format(Locale.ROOT, "ping %d: %.3f ms", i + 1, rtts.get(i).toNanos() / 1e6));
      }
      return 0;
    } catch (IOException e) {
      throw new UserError(1, "cannot start: " + e.getMessage());
    }
  }

  private static <T> T await(CompletableFuture<T> future, long deadline, String what) {
    long remaining = deadline - System.nanoTime();
    try {
      return future.get(Math.max(1, remaining), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw new UserError(
          1, what + " failed: " + (cause.getMessage() == null ? cause : cause.getMessage()));
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new UserError(1, what + " timed out");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError(1, "interrupted");
    }
  }

  /** The agent string comes from the peer: print only what is printable. */
  private static String printable(String text) {
    String cut = text.length() > 256 ? text.substring(0, 256) : text;
    return cut.replaceAll("[^\\x20-\\x7e]", "?");
  }
}
