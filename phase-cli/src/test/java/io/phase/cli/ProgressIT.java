package io.phase.cli;

import static io.phase.cli.PhaseRunner.fixtureArg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Progress of {@code phase run} on stderr against a real {@code phase node}: the states a person
 * waits through (joining, finding workers, upload bytes, waiting for a slot, running) when forced
 * with {@code --progress} on a non-terminal, and nothing of them by default when stderr is not a
 * terminal (as here: the runner captures it in a file) or with {@code --no-progress}.
 */
class ProgressIT {
  private static final Pattern UPLOADING =
      Pattern.compile("^phase: uploading to \\S+: (.+) of (.+) \\((\\d+)%\\)$");

  @TempDir Path dir;

  private static final List<String> PROGRESS_PREFIXES =
      List.of(
          "phase: joining the network",
          "phase: looking for workers",
          "phase: found ",
          "phase: uploading to ",
          "phase: waiting for a slot",
          "phase: running on ");

  private static boolean isProgress(String line) {
    return PROGRESS_PREFIXES.stream().anyMatch(line::startsWith);
  }

  @Test
  @Timeout(300)
  void forcedProgressShowsEachStateAndTheDefaultOffATerminalIsQuiet() throws Exception {
    PhaseRunner phase = new PhaseRunner(dir);
    String key = dir.resolve("client.key").toString();
    Path stdin = dir.resolve("stdin.bin");
    Files.write(stdin, new byte[3 << 20]); // a 3 MiB upload after the module
    try (PhaseNetwork net = PhaseNetwork.start(phase, 1, i -> List.of("--max-jobs", "1"))) {
      String bootstrap = net.bootstrap();
      var forced =
          phase
              .run(
                  "run",
                  "--key",
                  key,
                  "--bootstrap",
                  bootstrap,
                  "--progress",
                  "--stdin",
                  stdin.toString(),
                  fixtureArg("io.wasm"),
                  "mixed")
              .assertExit(0);
      assertEquals("out1\nout2\n", forced.stdout(), "progress never goes to stdout");
      List<String> lines = forced.phaseLines();
      List<String> states = lines.stream().filter(ProgressIT::isProgress).toList();
      assertEquals("phase: joining the network through 1 bootstrap peer...", states.get(0));
      assertEquals("phase: looking for workers (wasm32-wasi)...", states.get(1));
      assertEquals("phase: found 1 worker", states.get(2));
      List<String> uploads = states.stream().filter(l -> l.startsWith("phase: uploading")).toList();
      assertFalse(uploads.isEmpty(), forced::describe);
      Matcher last = UPLOADING.matcher(uploads.get(uploads.size() - 1));
      assertTrue(last.matches(), forced::describe);
      assertEquals("100", last.group(3), forced::describe);
      assertEquals(last.group(1), last.group(2), forced::describe);
      assertTrue(last.group(2).endsWith("MiB"), forced::describe); // module + 3 MiB of stdin
      assertTrue(states.get(states.size() - 1).startsWith("phase: running on 12D3KooW"));
      // the states come in order, before the receipt line
      int dispatched = indexOf(lines, "phase: dispatched job ");
      assertTrue(
          lines.indexOf(states.get(2)) < dispatched
              && dispatched < lines.indexOf(uploads.get(0))
              && lines.indexOf(states.get(states.size() - 1))
                  < indexOf(lines, "phase: receipt verified"),
          forced::describe);
      assertTrue(forced.stderr().contains("err1\n"), forced::describe);
      assertFalse(forced.stderr().contains("\r"), "no in-place redraw off a terminal");

      // Off a terminal, the default and --no-progress show no state, only the event lines.
      for (List<String> option : List.of(List.<String>of(), List.of("--no-progress"))) {
        List<String> args = new ArrayList<>(List.of("run", "--key", key, "--bootstrap", bootstrap));
        args.addAll(option);
        args.addAll(List.of("--stdin", stdin.toString(), fixtureArg("io.wasm"), "mixed"));
        var quiet = phase.run(args.toArray(String[]::new)).assertExit(0);
        assertEquals("out1\nout2\n", quiet.stdout());
        assertTrue(quiet.phaseLines().stream().noneMatch(ProgressIT::isProgress), quiet::describe);
        assertTrue(quiet.stderr().contains("phase: receipt verified"), quiet::describe);
      }

      // A worker with its one run slot taken (a looping job, for 20 s: long enough for the next
      // client to start on a loaded machine): the second job waits for it, and says so.
      Process busy =
          phase
              .builder(
                  "run",
                  "--key",
                  dir.resolve("busy.key").toString(),
                  "--bootstrap",
                  bootstrap,
                  "--timeout-s",
                  "20",
                  fixtureArg("loop.wasm"))
              .redirectOutput(dir.resolve("busy.out").toFile())
              .redirectError(dir.resolve("busy.err").toFile())
              .start();
      try {
        awaitLog(net.node(0), "job_started", 4);
        var waiting =
            phase
                .run(
                    "run",
                    "--key",
                    key,
                    "--bootstrap",
                    bootstrap,
                    "--progress",
                    fixtureArg("io.wasm"),
                    "mixed")
                .assertExit(0);
        assertEquals("out1\nout2\n", waiting.stdout());
        List<String> waited =
            waiting.phaseLines().stream()
                .filter(l -> l.startsWith("phase: waiting for a slot on 12D3KooW"))
                .toList();
        assertEquals(1, waited.size(), waiting::describe);
        assertTrue(
            waited.get(0).matches(".* \\(starts by \\d\\d:\\d\\d:\\d\\d at the latest\\)"),
            waiting::describe);
        assertTrue(
            waiting.phaseLines().stream().noneMatch(l -> l.startsWith("phase: uploading")),
            "the worker holds the module already: nothing to upload\n" + waiting.describe());
      } finally {
        PhaseRunner.kill(busy);
      }
    }
  }

  private static int indexOf(List<String> lines, String prefix) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith(prefix)) {
        return i;
      }
    }
    fail("no line starting with " + prefix + " in " + lines);
    return -1;
  }

  /** Waits until the node's log holds {@code count} lines containing {@code event}. */
  private static void awaitLog(PhaseNetwork.Node node, String event, int count) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (node.log().lines().filter(l -> l.contains(event)).count() < count) {
      if (System.nanoTime() > deadline) {
        fail("no " + count + " x " + event + " in the node's log:\n" + node.log());
      }
      Thread.sleep(50);
    }
  }
}
