package io.phase.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.phase.core.discovery.Capability;
import io.phase.p2p.multiaddr.Multiaddr;
import io.phase.p2p.peer.PeerId;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code phase node --bootstrap} and {@code phase peers} as real processes. */
class PeersIT {
  @TempDir Path dir;

  @Test
  @Timeout(180)
  void watchSearchesAgainEveryIntervalAndPrintsOneDocumentPerSearch() throws Exception {
    PhaseRunner runner = new PhaseRunner(dir);
    try (PhaseNetwork net = PhaseNetwork.start(runner, 1, i -> List.of())) {
      Path out = dir.resolve("watch.out");
      Process watch =
          runner
              .builder(
                  "peers",
                  "--bootstrap",
                  net.bootstrap(),
                  "--json",
                  "--watch",
                  "--interval-s",
                  "1",
                  "--timeout-s",
                  "10")
              .redirectOutput(out.toFile())
              .redirectError(dir.resolve("watch.err").toFile())
              .start();
      try {
        List<String> docs = List.of();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (docs.size() < 3 && System.nanoTime() < deadline) {
          assertTrue(
              watch.isAlive(),
              () -> "phase peers --watch exited: " + read(dir.resolve("watch.err")));
          Thread.sleep(500);
          docs =
              java.nio.file.Files.readAllLines(out).stream().filter(l -> l.endsWith("}")).toList();
        }
        assertTrue(docs.size() >= 3, "expected three searches, got " + docs);
        for (String line : docs) {
          JsonNode doc = new ObjectMapper().readTree(line);
          assertEquals(1, doc.get("workers").size(), line);
          assertEquals(
              net.node(0).peer().toString(), doc.get("workers").get(0).get("peer_id").asText());
        }
      } finally {
        PhaseRunner.kill(watch);
      }
    }
  }

  private static String read(Path p) {
    try {
      return java.nio.file.Files.readString(p);
    } catch (java.io.IOException e) {
      return e.toString();
    }
  }

  @Test
  @Timeout(240)
  void peersFindsEveryNodeThatBootstrappedOffTheFirst() throws Exception {
    PhaseRunner runner = new PhaseRunner(dir);
    List<Process> nodes = new ArrayList<>();
    try {
      Path out0 = dir.resolve("node0.out");
      nodes.add(
          NodeIT.startNode(
              runner,
              out0,
              "--key",
              dir.resolve("k0").toString(),
              "--listen",
              "/ip4/127.0.0.1/tcp/0"));
      Multiaddr first = NodeIT.listenLines(out0).get(0);
      Set<PeerId> expected = new HashSet<>(Set.of(first.peerId().orElseThrow()));
      for (int i = 1; i < 3; i++) {
        Path out = dir.resolve("node" + i + ".out");
        nodes.add(
            NodeIT.startNode(
                runner,
                out,
                "--key",
                dir.resolve("k" + i).toString(),
                "--listen",
                "/ip4/127.0.0.1/tcp/0",
                "--bootstrap",
                first.toString()));
        expected.add(NodeIT.listenLines(out).get(0).peerId().orElseThrow());
      }

      // Nodes advertise once they have joined; ask until all three are listed (bounded).
      String arch = Capability.localArch();
      JsonNode doc = null;
      Set<PeerId> found = Set.of();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (!found.equals(expected) && System.nanoTime() < deadline) {
        var result =
            runner
                .run("peers", "--bootstrap", first.toString(), "--json", "--timeout-s", "20")
                .assertExit(0);
        doc = new ObjectMapper().readTree(result.stdout());
        found = new HashSet<>();
        for (JsonNode w : doc.get("workers")) {
          found.add(PeerId.parse(w.get("peer_id").asText()));
        }
        if (!found.equals(expected)) {
          Thread.sleep(2000);
        }
      }
      assertEquals(expected, found, String.valueOf(doc));
      assertEquals(arch, doc.get("arch").asText());
      for (JsonNode w : doc.get("workers")) {
        JsonNode info = w.get("info");
        assertEquals(w.get("peer_id").asText(), info.get("peer_id").asText());
        assertEquals(arch, info.get("arch").asText());
        assertEquals("chicory", info.get("runtime").get("name").asText());
        assertTrue(info.get("max_job").get("memory_mb").asLong() > 0);
        assertTrue(w.get("addresses").get(0).asText().startsWith("/ip4/127.0.0.1/tcp/"));
      }

      var text = runner.run("peers", "--bootstrap", first.toString()).assertExit(0);
      assertTrue(text.stdout().contains(first.peerId().orElseThrow().toString()), text.stdout());
      assertTrue(text.stdout().contains("runtime=chicory/"), text.stdout());
    } finally {
      for (Process p : nodes) {
        PhaseRunner.kill(p);
      }
    }
  }

  @Test
  @Timeout(60)
  void peersExitsThreeWithOneLineWhenNoBootstrapPeerAnswers() throws Exception {
    PhaseRunner runner = new PhaseRunner(dir);
    PeerId nobody =
        PeerId.parse(
            runner.run("id", "--key", dir.resolve("x").toString()).assertExit(0).stdout().strip());
    var result =
        runner.run(
            "peers", "--bootstrap", "/ip4/127.0.0.1/tcp/1/p2p/" + nobody, "--timeout-s", "3");
    result.assertExit(ExitCodes.UNREACHABLE);
    assertTrue(result.stderr().contains("cannot reach any bootstrap peer"), result.stderr());
    result.assertNoStackTrace();
    assertEquals("", result.stdout());
  }

  @Test
  @Timeout(60)
  void bootstrapWithoutPeerIdIsAUsageError() throws Exception {
    PhaseRunner runner = new PhaseRunner(dir);
    var result = runner.run("peers", "--bootstrap", "/ip4/127.0.0.1/tcp/4001");
    result.assertExit(ExitCodes.USAGE);
    assertTrue(result.stderr().contains("/p2p/"), result.stderr());
  }
}
