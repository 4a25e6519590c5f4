package io.phase.core.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phase.core.workspace.WorkspaceArchive;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several mounts in one guest, some read-only: the real files.wasm guest tries to write and reports
 * the errno it got; the host directory behind a read-only mount never changes.
 */
class MountsTest {
  static Sandbox sandbox;
  static final SandboxLimits LIMITS =
      SandboxLimits.DEFAULTS.withMemoryMb(64).withTimeout(Duration.ofSeconds(20));

  @TempDir Path work;
  @TempDir Path share;
  @TempDir Path out;

  @BeforeAll
  static void start() {
    sandbox = new Sandbox(SandboxConfig.defaults().withConcurrency(2, 16));
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  SandboxResult run(SandboxRequest base, RecordingListener listener, String... args)
      throws Exception {
    return sandbox
        .submit(base.withArgs(List.of(args)), listener)
        .result()
        .get(60, TimeUnit.SECONDS);
  }

  SandboxRequest twoMounts() throws Exception {
    return SandboxRequest.of(Fixtures.bytes("files.wasm"), LIMITS)
        .withWorkspace(new WorkspaceMapping(work, "/work"))
        .withWorkspace(new WorkspaceMapping(share, "/share", true));
  }

  @Test
  void readOnlyMountRefusesEveryWriteAndStaysUntouchedWhileTheOtherIsWritten() throws Exception {
    Files.writeString(share.resolve("techlib.txt"), "cells");
    Files.createDirectories(share.resolve("sub"));
    Files.writeString(share.resolve("sub/deep.txt"), "deep");
    List<String> before = listing(share);

    var read = new RecordingListener();
    assertEquals(Outcome.exited(0), run(twoMounts(), read, "read", "/share/techlib.txt").outcome());
    assertEquals("cells", read.stdout());

    String[][] writes = {
      {"write", "/share/new.txt", "x"},
      {"write", "/share/techlib.txt", "overwritten"},
      {"write", "/share/sub/deep.txt", "overwritten"},
      {"mkdir", "/share/dir"},
      {"rm", "/share/techlib.txt"},
      {"rm", "/share/sub"},
      {"bulk", "/share/sub", "1", "10"},
    };
    for (String[] write : writes) {
      var listener = new RecordingListener();
      SandboxResult result = run(twoMounts(), listener, write);
      assertEquals(Outcome.exited(1), result.outcome(), String.join(" ", write));
      assertEquals("error: Read-only file system\n", listener.stderr(), String.join(" ", write));
    }
    assertEquals(before, listing(share), "the read-only host directory never changes");
    assertEquals("cells", Files.readString(share.resolve("techlib.txt")));

    var write = new RecordingListener();
    SandboxResult result = run(twoMounts(), write, "write", "/work/result.txt", "built");
    assertEquals(Outcome.exited(0), result.outcome(), write.stderr());
    assertEquals("built", Files.readString(work.resolve("result.txt")));
    assertEquals(1, result.workspace().orElseThrow().filesOut());
    assertNull(result.workspace().orElseThrow().copyOutError());
  }

  @Test
  void readOnlyArchiveMountRefusesWrites() throws Exception {
    Files.writeString(share.resolve("a.txt"), "from an archive");
    byte[] archive = WorkspaceArchive.packToBytes(share, 1 << 20, 100);
    SandboxRequest request =
        SandboxRequest.of(Fixtures.bytes("files.wasm"), LIMITS)
            .withWorkspace(new WorkspaceSource.Archive(archive, "/tools", true))
            .withWorkspace(new WorkspaceSource.Archive(archive, "/scratch", false));
    var read = new RecordingListener();
    assertEquals(Outcome.exited(0), run(request, read, "read", "/tools/a.txt").outcome());
    assertEquals("from an archive", read.stdout());
    var denied = new RecordingListener();
    assertEquals(Outcome.exited(1), run(request, denied, "write", "/tools/a.txt", "x").outcome());
    assertEquals("error: Read-only file system\n", denied.stderr());
    var allowed = new RecordingListener();
    assertEquals(
        Outcome.exited(0), run(request, allowed, "write", "/scratch/a.txt", "x").outcome());
  }

  @Test
  void outputCopiesOnlyTheChosenDirectory() throws Exception {
    Files.createDirectories(work.resolve("build"));
    Files.writeString(work.resolve("input.txt"), "in");
    SandboxRequest request =
        SandboxRequest.of(Fixtures.bytes("files.wasm"), LIMITS)
            .withWorkspace(new WorkspaceMapping(share, "/share", true))
            .withWorkspace(new WorkspaceMapping(work, "/work", true))
            .withOutput(new WorkspaceMapping(out.resolve("result"), "/work/build"));
    var listener = new RecordingListener();
    // /work is read-only, so the guest cannot write there; it writes nothing and the output
    // directory comes back empty but present.
    assertEquals(Outcome.exited(0), run(request, listener, "ls", "/work").outcome());
    assertTrue(Files.isDirectory(out.resolve("result")));
    assertEquals(List.of("/"), listing(out.resolve("result")), "present and empty");

    SandboxRequest writable =
        SandboxRequest.of(Fixtures.bytes("files.wasm"), LIMITS)
            .withWorkspace(new WorkspaceMapping(work, "/work"))
            .withOutput(new WorkspaceMapping(out.resolve("result"), "/work/build"));
    var w = new RecordingListener();
    SandboxResult result = run(writable, w, "write", "/work/build/artifact.bin", "bits");
    assertEquals(Outcome.exited(0), result.outcome(), w.stderr());
    assertEquals("bits", Files.readString(out.resolve("result/artifact.bin")));
    assertFalse(Files.exists(out.resolve("result/input.txt")), "only the chosen directory");
  }

  @Test
  void missingOutputDirectoryIsReported() throws Exception {
    SandboxRequest request =
        SandboxRequest.of(Fixtures.bytes("files.wasm"), LIMITS)
            .withWorkspace(new WorkspaceMapping(work, "/work"))
            .withOutput(new WorkspaceMapping(out.resolve("r"), "/work/never"));
    var listener = new RecordingListener();
    SandboxResult result = run(request, listener, "ls", "/work");
    assertEquals(
        "output /work/never is not a directory in the guest after the run",
        result.workspace().orElseThrow().copyOutError());
  }

  @Test
  void duplicateNestedAndStrayPathsAreRefusedWithOneLine() {
    byte[] module = new byte[8];
    var base = SandboxRequest.of(module, LIMITS).withWorkspace(new WorkspaceMapping(work, "/work"));
    var dup =
        assertThrows(
            IllegalArgumentException.class,
            () -> base.withWorkspace(new WorkspaceMapping(share, "/work/", true)));
    assertEquals("guest path /work is mounted twice", dup.getMessage());
    var nested =
        assertThrows(
            IllegalArgumentException.class,
            () -> base.withWorkspace(new WorkspaceMapping(share, "/work/share")));
    assertEquals(
        "guest paths /work and /work/share are nested; mounts must not overlap",
        nested.getMessage());
    var stray =
        assertThrows(
            IllegalArgumentException.class,
            () -> base.withOutput(new WorkspaceMapping(out, "/elsewhere")));
    assertEquals("output /elsewhere is not inside any mounted guest path", stray.getMessage());
  }

  @Test
  void parsesAccessSuffix() {
    assertEquals(
        new WorkspaceMapping(Path.of("tools"), "/share", true),
        WorkspaceMapping.parse("tools:/share:ro"));
    assertEquals(
        new WorkspaceMapping(Path.of("src"), "/src", false), WorkspaceMapping.parse("src:/src:rw"));
    assertEquals(
        new WorkspaceMapping(Path.of("src"), "/work", false), WorkspaceMapping.parse("src"));
    assertEquals(
        new WorkspaceMapping(Path.of("c:x"), "/work", true), WorkspaceMapping.parse("c:x:ro"));
  }

  private static List<String> listing(Path dir) throws Exception {
    try (var s = Files.walk(dir)) {
      return s.map(p -> dir.relativize(p) + (Files.isDirectory(p) ? "/" : "=" + size(p)))
          .sorted()
          .toList();
    }
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
