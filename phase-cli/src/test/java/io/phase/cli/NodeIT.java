package io.phase.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.phase.p2p.crypto.Ed25519PrivateKey;
import io.phase.p2p.host.Connection;
import io.phase.p2p.host.Host;
import io.phase.p2p.multiaddr.Multiaddr;
import io.phase.p2p.peer.PeerId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code phase node} as a separate process: its LISTEN lines, a real dial, a clean stop. */
class NodeIT {
  @TempDir Path dir;

  /** Starts {@code phase node ARGS} and waits for its LISTEN lines. */
  static Process startNode(PhaseRunner runner, Path stdout, String... args) throws Exception {
    String[] command = new String[args.length + 1];
    command[0] = "node";
    System.arraycopy(args, 0, command, 1, args.length);
    Process process =
        runner
            .builder(command)
            .redirectOutput(stdout.toFile())
            .redirectError(stdout.resolveSibling(stdout.getFileName() + ".stderr").toFile())
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
    while (System.nanoTime() < deadline) {
      if (Files.readString(stdout).contains("LISTEN ")) {
        Thread.sleep(200); // let every line arrive
        return process;
      }
      if (!process.isAlive()) {
        fail(
            "phase node exited "
                + process.exitValue()
                + ": "
                + Files.readString(stdout.resolveSibling(stdout.getFileName() + ".stderr")));
      }
      Thread.sleep(100);
    }
    PhaseRunner.kill(process);
    throw new AssertionError("phase node printed no LISTEN line within 40 s");
  }

  static List<Multiaddr> listenLines(Path stdout) throws Exception {
    return Files.readString(stdout, StandardCharsets.UTF_8)
        .lines()
        .filter(line -> !line.startsWith("HTTP http")) // printed by --http, after the addresses
        .map(
            line -> {
              assertTrue(line.startsWith("LISTEN /"), "unexpected stdout line: " + line);
              return Multiaddr.parse(line.substring("LISTEN ".length()));
            })
        .toList();
  }

  @Test
  @Timeout(120)
  void printsDialableAddressesAndStopsCleanlyOnSigterm() throws Exception {
    PhaseRunner runner = new PhaseRunner(dir);
    Path key = dir.resolve("node.key");
    String id = runner.run("id", "--key", key.toString()).assertExit(0).stdout().strip();
    Path stdout = dir.resolve("node.out");
    Process node =
        startNode(runner, stdout, "--key", key.toString(), "--listen", "/ip4/127.0.0.1/tcp/0");
    try {
      List<Multiaddr> addresses = listenLines(stdout);
      assertEquals(1, addresses.size(), addresses.toString());
      Multiaddr address = addresses.get(0);
      assertEquals(PeerId.parse(id), address.peerId().orElseThrow());
      assertTrue(address.toString().startsWith("/ip4/127.0.0.1/tcp/"), address.toString());

      try (Host client =
          Host.builder().identity(Ed25519PrivateKey.generate()).agentVersion("test").build()) {
        Connection connection = client.dial(address).get(30, TimeUnit.SECONDS);
        assertEquals(PeerId.parse(id), connection.remotePeer());
        // A wrong expected peer id is refused.
        PeerId stranger = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
        Multiaddr wrong = address.withoutP2p().withP2p(stranger);
        try {
          client.dial(wrong).get(30, TimeUnit.SECONDS);
          fail("dialing with the wrong peer id must fail");
        } catch (java.util.concurrent.ExecutionException expected) {
          // refused
        }
      }

      new ProcessBuilder("kill", "-TERM", Long.toString(node.pid()))
          .start()
          .waitFor(10, TimeUnit.SECONDS);
      assertTrue(node.waitFor(20, TimeUnit.SECONDS), "node did not stop within 20 s of SIGTERM");
      assertEquals(143, node.exitValue());
      assertFalse(Files.readString(stdout.resolveSibling("node.out.stderr")).contains("Exception"));
    } finally {
      PhaseRunner.kill(node);
    }
  }

  @Test
  @Timeout(60)
  void refusesAnUnparsableListenAddress() throws Exception {
    PhaseRunner runner = new PhaseRunner(dir);
    var result =
        runner.run(
            "node", "--key", dir.resolve("k").toString(), "--listen", "/ip4/999.1.1.1/tcp/1");
    result.assertExit(ExitCodes.USAGE);
    assertTrue(result.stderr().contains("--listen"), result.stderr());
  }
}
