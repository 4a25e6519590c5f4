package io.phase.cli;

import static io.phase.cli.PhaseRunner.fixtureArg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code phase run --out GUEST:HOST} end to end: a real {@code phase node} process runs the real
 * files.wasm guest on an input tree and returns only the chosen guest directory, which the client
 * checks against the signed receipt before unpacking; {@code phase verify --out} checks the
 * directory later.
 */
class OutputTreesIT {
  @TempDir Path dir;

  /** Every entry under {@code root}: relative path to contents (files) or "/" (directories). */
  static TreeMap<String, String> tree(Path root) throws Exception {
    TreeMap<String, String> all = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.toList()) {
        if (p.equals(root)) {
          continue;
        }
        String rel = root.relativize(p).toString();
        assertFalse(Files.isSymbolicLink(p), rel);
        all.put(rel, Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "/" : Files.readString(p));
      }
    }
    return all;
  }

  @Test
  @Timeout(300)
  void runReturnsExactlyTheChosenDirectoryVerifiedAgainstTheReceipt() throws Exception {
    PhaseRunner phase = new PhaseRunner(dir);
    String key = dir.resolve("k.key").toString();
    Path work = dir.resolve("work");
    Files.createDirectories(work.resolve("build/sub"));
    Files.writeString(work.resolve("build/old.o"), "old object");
    Files.writeString(work.resolve("build/sub/deep.txt"), "deep");
    Files.writeString(work.resolve("main.c"), "int main;");
    TreeMap<String, String> workBefore = tree(work);
    String files = fixtureArg("files.wasm");
    try (PhaseNetwork net =
        PhaseNetwork.start(phase, 1, i -> List.of("--input-store", dir.resolve("s").toString()))) {
      List<String> base =
          List.of("run", "--key", key, "--bootstrap", net.bootstrap(), "--dir", "work:/work");

      var built =
          phase.run(
              args(
                  base,
                  "--out",
                  "/work/build:out",
                  "--receipt",
                  "r.json",
                  files,
                  "write",
                  "/work/build/new.o",
                  "fresh object"));
      built.assertExit(0);
      TreeMap<String, String> expected = new TreeMap<>();
      expected.put("new.o", "fresh object");
      expected.put("old.o", "old object");
      expected.put("sub", "/");
      expected.put("sub/deep.txt", "deep");
      assertEquals(expected, tree(dir.resolve("out")), built::describe);
      assertEquals(workBefore, tree(work), "nothing is copied back into the input tree");
      assertTrue(built.stderr().contains("phase: output /work/build (sha256:"), built::describe);
      try (Stream<Path> s = Files.list(dir)) {
        assertTrue(
            s.noneMatch(p -> p.getFileName().toString().startsWith(".phase-out-")),
            "no temporary directory left beside the output");
      }

      // The receipt binds the tree; phase verify checks the directory against it.
      var verified = phase.run("verify", "--out", "/work/build:out", "r.json");
      verified.assertExit(0);
      assertTrue(verified.stdout().contains("output /work/build sha256:"), verified::describe);
      assertTrue(verified.stdout().contains(" (matches)"), verified::describe);
      Files.writeString(dir.resolve("out/new.o"), "edited afterwards");
      var edited = phase.run("verify", "--out", "/work/build:out", "r.json");
      edited.assertExit(1);
      assertTrue(edited.stderr().contains("invalid: output_tree_mismatch: "), edited::describe);

      // A non-empty destination is refused before anything runs; nothing in it is touched.
      phase
          .run(args(base, "--out", "/work/build:out", files, "ls", "/work"))
          .assertPhaseError(125, "is not empty");
      assertEquals("edited afterwards", Files.readString(dir.resolve("out/new.o")));

      // An output outside every mount is refused before anything runs.
      phase
          .run(args(base, "--out", "/etc:out2", files, "ls", "/work"))
          .assertPhaseError(125, "not inside any mounted guest path");

      // The guest cannot plant a link in the returned tree: creating one fails inside the guest,
      // and what comes back holds only regular files and directories.
      var link =
          phase.run(
              args(
                  base,
                  "--out",
                  "/work/build:out3",
                  files,
                  "symlink",
                  "/etc/passwd",
                  "/work/build/link"));
      link.assertExit(1);
      TreeMap<String, String> original = new TreeMap<>(expected);
      original.remove("new.o");
      assertEquals(original, tree(dir.resolve("out3")), link::describe);

      // A guest directory that does not exist after the run: one clear line, nothing unpacked.
      var absent =
          phase.run(
              args(base, "--retries", "0", "--out", "/work/nothere:out4", files, "ls", "/work"));
      absent.assertExit(122).assertNoStackTrace();
      List<String> lines = absent.phaseLines();
      assertTrue(
          lines
              .get(lines.size() - 1)
              .contains(
                  "worker error bad_workspace: output trees refused: output /work/nothere is not a"
                      + " directory in the guest after the run"),
          absent::describe);
      assertFalse(Files.exists(dir.resolve("out4")), absent::describe);
    }
  }

  private static String[] args(List<String> base, String... more) {
    List<String> all = new ArrayList<>(base);
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }
}
