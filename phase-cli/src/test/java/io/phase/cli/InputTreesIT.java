package io.phase.cli;

import static io.phase.cli.PhaseRunner.fixtureArg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several mounts, read-only tool data and content-addressed input trees, end to end: {@code phase
 * exec} with the real files.wasm guest, and {@code phase run} through a real {@code phase node}
 * process that keeps trees by digest in its store. Bytes on the wire are read from phase run's own
 * counter ("phase: sent N bytes ..."), never inferred from timing.
 */
class InputTreesIT {
  private static final Pattern SENT = Pattern.compile("(?m)^phase: sent (\\d+) bytes of module");

  @TempDir Path dir;

  static long sent(PhaseRunner.Result r) {
    Matcher m = SENT.matcher(r.stderr());
    assertTrue(m.find(), r::describe);
    return Long.parseLong(m.group(1));
  }

  @Test
  @Timeout(300)
  void execMountsSeveralDirectoriesOneReadOnlyAndCopiesOutOnlyTheChosenOne() throws Exception {
    PhaseRunner phase = new PhaseRunner(dir);
    String key = dir.resolve("k.key").toString();
    Path share = Files.createDirectories(dir.resolve("share"));
    Files.writeString(share.resolve("cells.lib"), "library");
    Path work = Files.createDirectories(dir.resolve("work"));
    String files = fixtureArg("files.wasm");

    var read =
        phase.run(
            "exec",
            "--key",
            key,
            "--dir",
            "share:/share:ro",
            "--dir",
            "work:/work",
            files,
            "read",
            "/share/cells.lib");
    read.assertExit(0);
    assertEquals("library", read.stdout());

    var denied =
        phase.run(
            "exec",
            "--key",
            key,
            "--dir",
            "share:/share:ro",
            "--dir",
            "work",
            files,
            "write",
            "/share/cells.lib",
            "overwritten");
    denied.assertExit(1);
    assertTrue(denied.stderr().contains("error: Read-only file system"), denied::describe);
    assertEquals("library", Files.readString(share.resolve("cells.lib")), "host untouched");

    var written =
        phase.run(
            "exec",
            "--key",
            key,
            "--dir",
            "share:/share:ro",
            "--dir",
            "work",
            files,
            "write",
            "/work/out.txt",
            "result");
    written.assertExit(0);
    assertEquals("result", Files.readString(work.resolve("out.txt")));

    Files.createDirectories(work.resolve("build"));
    var out =
        phase.run(
            "exec",
            "--key",
            key,
            "--dir",
            "work:/work:ro",
            "--dir",
            "share:/tmp",
            "--out",
            "/tmp:" + dir.resolve("returned"),
            files,
            "write",
            "/tmp/artifact",
            "bits");
    out.assertExit(0);
    assertEquals("bits", Files.readString(dir.resolve("returned/artifact")));
    assertEquals("bits", Files.readString(share.resolve("artifact")), "rw mount copied back too");

    phase
        .run("exec", "--key", key, "--dir", "share:/w", "--dir", "work:/w", files, "ls", "/w")
        .assertPhaseError(125, "guest path /w is mounted twice");
    phase
        .run("exec", "--key", key, "--dir", "share:/w", "--dir", "work:/w/x", files, "ls", "/w")
        .assertPhaseError(125, "guest paths /w and /w/x are nested; mounts must not overlap");
    phase
        .run("exec", "--key", key, "--dir", "work", "--out", "/elsewhere:x", files, "ls", "/work")
        .assertPhaseError(125, "output /elsewhere is not inside any mounted guest path");
  }

  @Test
  @Timeout(900)
  void runUploadsATreeOnceReusesItDetectsTamperingAndRefusesHostileTrees() throws Exception {
    PhaseRunner phase = new PhaseRunner(dir);
    String key = dir.resolve("client.key").toString();
    Path store = dir.resolve("store");
    Path tools = Files.createDirectories(dir.resolve("tools/techlibs"));
    for (int i = 0; i < 20; i++) {
      Files.write(tools.resolve("lib" + i + ".v"), new byte[32 * 1024]);
    }
    Files.writeString(tools.resolve("cells.lib"), "cell library");
    Path work = Files.createDirectories(dir.resolve("work"));
    Files.writeString(work.resolve("design.v"), "module top; endmodule");
    String files = fixtureArg("files.wasm");
    try (PhaseNetwork net =
        PhaseNetwork.start(phase, 1, i -> List.of("--input-store", store.toString()))) {
      List<String> base =
          List.of(
              "run",
              "--key",
              key,
              "--bootstrap",
              net.bootstrap(),
              "--dir",
              dir.resolve("tools") + ":/share:ro",
              "--dir",
              "work:/work",
              "--receipt",
              "r.json");

      // First run: the module and both trees travel.
      var first = phase.run(args(base, files, "read", "/share/techlibs/cells.lib"));
      first.assertExit(0);
      assertEquals("cell library", first.stdout());
      long firstSent = sent(first);
      assertTrue(firstSent > 20 * 32 * 1024, first::describe);
      assertEquals(2, storedTrees(store));

      // Second run of the same tool data: nothing travels at all.
      var second = phase.run(args(base, files, "read", "/work/design.v"));
      second.assertExit(0);
      assertEquals("module top; endmodule", second.stdout());
      assertEquals(0, sent(second), second::describe);

      // The receipt binds both trees; phase verify checks them against the directories.
      var verified =
          phase.run(
              "verify",
              "--dir",
              dir.resolve("tools") + ":/share:ro",
              "--dir",
              "work:/work",
              "r.json");
      verified.assertExit(0);
      assertTrue(verified.stdout().contains("input /share sha256:"), verified::describe);
      assertTrue(verified.stdout().contains(" read-only (matches)"), verified::describe);
      Files.writeString(work.resolve("design.v"), "changed");
      var mismatch =
          phase.run(
              "verify",
              "--dir",
              dir.resolve("tools") + ":/share:ro",
              "--dir",
              "work:/work",
              "r.json");
      mismatch.assertExit(1);
      assertTrue(mismatch.stderr().contains("invalid: input_mismatch: "), mismatch::describe);

      // Writing into the read-only tree fails inside the guest; the host tree is untouched.
      var denied = phase.run(args(base, files, "write", "/share/techlibs/cells.lib", "x"));
      denied.assertExit(1);
      assertTrue(denied.stderr().contains("error: Read-only file system"), denied::describe);
      assertEquals("cell library", Files.readString(tools.resolve("cells.lib")));
      long changedWorkTree = sent(denied);
      assertTrue(changedWorkTree > 0 && changedWorkTree < 4096, denied::describe);

      // A tampered store entry is detected on read, deleted and fetched again.
      Path toolEntry = largest(store);
      byte[] bytes = Files.readAllBytes(toolEntry);
      bytes[bytes.length / 2] ^= 1;
      Files.write(toolEntry, bytes);
      var refetched = phase.run(args(base, files, "read", "/share/techlibs/cells.lib"));
      refetched.assertExit(0);
      assertEquals("cell library", refetched.stdout());
      assertTrue(sent(refetched) > 20 * 32 * 1024, refetched::describe);
      String nodeLog = net.node(0).log();
      assertTrue(nodeLog.contains("input_store_corrupt"), nodeLog);
      var clean = phase.run(args(base, files, "read", "/share/techlibs/cells.lib"));
      assertEquals(0, sent(clean), clean::describe);

      // Hostile trees are refused on the client with one line, before anything is sent.
      Path hostile = Files.createDirectories(dir.resolve("hostile"));
      Files.createSymbolicLink(hostile.resolve("escape"), Path.of("/etc/passwd"));
      refused(phase, net, "hostile:/h:ro", List.of(), "symbolic link");
      Files.delete(hostile.resolve("escape"));

      new ProcessBuilder("mkfifo", hostile.resolve("pipe").toString()).start().waitFor();
      refused(phase, net, "hostile:/h:ro", List.of(), "fifo");
      Files.delete(hostile.resolve("pipe"));

      Path many = Files.createDirectories(dir.resolve("many"));
      for (int i = 0; i < 50; i++) {
        Files.writeString(many.resolve("f" + i), "");
      }
      refused(phase, net, "many:/m:ro", List.of("--max-input-files", "40"), "more than 40");

      Path deep = dir.resolve("deep");
      Path d = deep;
      for (int i = 0; i < 70; i++) {
        d = d.resolve("d");
      }
      Files.createDirectories(d);
      refused(phase, net, "deep:/d:ro", List.of(), "deeper than");

      Path huge = Files.createDirectories(dir.resolve("huge"));
      Files.write(huge.resolve("big.bin"), new byte[3 << 20]);
      refused(phase, net, "huge:/b:ro", List.of("--max-input-mb", "2"), "larger than the limit");

      phase
          .run(
              "run",
              "--key",
              key,
              "--bootstrap",
              net.bootstrap(),
              "--dir",
              "work:/w",
              "--dir",
              "huge:/w/x",
              files,
              "ls",
              "/w")
          .assertPhaseError(125, "guest paths /w and /w/x are nested");
    }
  }

  private static void refused(
      PhaseRunner phase, PhaseNetwork net, String mount, List<String> options, String fragment)
      throws Exception {
    List<String> a = new ArrayList<>(List.of("run", "--key", "k2.key", "--bootstrap"));
    a.add(net.bootstrap());
    a.addAll(options);
    a.addAll(List.of("--dir", mount, fixtureArg("files.wasm"), "ls", "/"));
    var r = phase.run(a.toArray(String[]::new));
    assertEquals(125, r.exitCode(), r::describe);
    List<String> lines = r.phaseLines();
    assertEquals(1, lines.size(), r::describe);
    assertTrue(lines.get(0).contains(fragment), r::describe);
    r.assertNoStackTrace();
    assertFalse(r.stderr().contains("dispatched"), r::describe);
  }

  private static String[] args(List<String> base, String... more) {
    List<String> all = new ArrayList<>(base);
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  private static long storedTrees(Path store) throws Exception {
    try (Stream<Path> s = Files.list(store)) {
      return s.filter(p -> p.toString().endsWith(".phws")).count();
    }
  }

  private static Path largest(Path store) throws Exception {
    try (Stream<Path> s = Files.list(store)) {
      return s.filter(p -> p.toString().endsWith(".phws"))
          .max((a, b) -> Long.compare(a.toFile().length(), b.toFile().length()))
          .orElseThrow();
    }
  }
}
