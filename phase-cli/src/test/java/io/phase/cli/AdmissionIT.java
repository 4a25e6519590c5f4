package io.phase.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code phase node} flooded with idle connections from 127.0.0.2 still serves {@code phase ping}
 * and {@code phase run} from 127.0.0.1; admission limits come from {@code --config}.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class AdmissionIT {
  @TempDir Path dir;

  @Test
  void pingAndRunFromAnotherAddressSucceedWhileOneAddressFloods() throws Exception {
    PhaseRunner phase = new PhaseRunner(dir);
    Path config = dir.resolve("node.json");
    Files.writeString(
        config, "{\"max-pending-handshakes-per-ip\": 8, \"silent-timeout-ms\": 1000}");
    try (PhaseNetwork net =
        PhaseNetwork.start(phase, 1, i -> List.of("--config", config.toString()))) {
      PhaseNetwork.Node node = net.node(0);
      InetSocketAddress target = (InetSocketAddress) node.address().toSocketAddress();
      InetAddress attacker = InetAddress.getByName("127.0.0.2");
      AtomicBoolean stop = new AtomicBoolean();
      AtomicInteger opened = new AtomicInteger();
      Thread flood =
          new Thread(
              () -> {
                ArrayDeque<Socket> held = new ArrayDeque<>();
                try {
                  long next = System.nanoTime();
                  while (!stop.get()) {
                    for (int i = 0; i < 5; i++) {
                      Socket s = new Socket();
                      try {
                        s.bind(new InetSocketAddress(attacker, 0));
                        s.connect(target, 200);
                        opened.incrementAndGet();
                        held.addLast(s);
                      } catch (IOException e) {
                        s.close();
                      }
                      if (held.size() > 300) {
                        held.removeFirst().close();
                      }
                    }
                    next += TimeUnit.MILLISECONDS.toNanos(10);
                    long sleep = next - System.nanoTime();
                    if (sleep > 0) {
                      TimeUnit.NANOSECONDS.sleep(sleep);
                    }
                  }
                } catch (IOException | InterruptedException e) {
                  // stop
                } finally {
                  for (Socket s : held) {
                    try {
                      s.close();
                    } catch (IOException ignored) {
                      // closing
                    }
                  }
                }
              },
              "flood");
      flood.setDaemon(true);
      int pingsOk = 0;
      int pings = 5;
      PhaseRunner.Result run;
      try {
        flood.start();
        Thread.sleep(1500);
        for (int i = 0; i < pings; i++) {
          if (phase
                  .run("ping", "--count", "1", "--timeout-s", "5", node.address().toString())
                  .exitCode()
              == 0) {
            pingsOk++;
          }
        }
        run =
            phase.run(
                "run",
                "--bootstrap",
                net.bootstrap(),
                PhaseRunner.fixtureArg("io.wasm"),
                "exit",
                "0");
      } finally {
        stop.set(true);
        flood.join(5000);
      }
      assertTrue(opened.get() >= 500, "flood opened " + opened.get() + " connections");
      assertTrue(pingsOk >= pings - 1, pingsOk + " of " + pings + " pings succeeded");
      run.assertExit(0);
      String log = node.log();
      assertTrue(
          log.contains("connections_refused reason=pending_per_address"),
          "refusals summarised at WARN");
      long lines = log.lines().filter(l -> l.contains("connections_refused")).count();
      assertTrue(lines <= 10, lines + " refusal lines for " + opened.get() + " connections");
    }
  }
}
