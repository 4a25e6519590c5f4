package io.phase.core.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phase.core.workspace.WorkspaceException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkspaceTest {
  static Sandbox sandbox;
  static final SandboxLimits LIMITS =
      SandboxLimits.DEFAULTS.withMemoryMb(64).withTimeout(Duration.ofSeconds(20));

  @TempDir Path host;
  @TempDir Path outside;

  @BeforeAll
  static void start() {
    sandbox = new Sandbox(SandboxConfig.defaults().withConcurrency(2, 16));
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  SandboxResult files(SandboxLimits limits, RecordingListener out, String... args)
      throws Exception {
    var req =
        SandboxRequest.of(Fixtures.bytes("files.wasm"), limits)
            .withArgs(List.of(args))
            .withWorkspace(new WorkspaceMapping(host, "/work"));
    return sandbox.submit(req, out).result().get(60, TimeUnit.SECONDS);
  }

  SandboxResult files(RecordingListener out, String... args) throws Exception {
    return files(LIMITS, out, args);
  }

  @Test
  void guestReadsMappedFiles() throws Exception {
    Files.createDirectories(host.resolve("src"));
    Files.writeString(host.resolve("src/a.txt"), "hello from the host");
    var out = new RecordingListener();
    var result = files(out, "read", "/work/src/a.txt");
    assertEquals(Outcome.exited(0), result.outcome(), out.stderr());
    assertEquals("hello from the host", out.stdout());
    assertEquals(2, result.workspace().orElseThrow().filesIn());
  }

  @Test
  void mappingAtTheRootAddsNoDirectoryOfItsOwn() throws Exception {
    Files.writeString(host.resolve("in.txt"), "x");
    for (int run = 0; run < 2; run++) {
      var out = new RecordingListener();
      var req =
          SandboxRequest.of(Fixtures.bytes("files.wasm"), LIMITS)
              .withArgs(List.of("ls", "/"))
              .withWorkspace(new WorkspaceMapping(host, "/"));
      var result = sandbox.submit(req, out).result().get(60, TimeUnit.SECONDS);
      assertEquals(Outcome.exited(0), result.outcome(), out.stderr());
      assertEquals("in.txt\n", out.stdout());
    }
    try (var files = Files.list(host)) {
      assertEquals(List.of(host.resolve("in.txt")), files.toList());
    }
  }

  @Test
  void guestWritesComeBackOut() throws Exception {
    Files.writeString(host.resolve("keep.txt"), "unchanged");
    var out = new RecordingListener();
    var result = files(out, "write", "/work/result.txt", "built!");
    assertEquals(Outcome.exited(0), result.outcome(), out.stderr());
    assertEquals("built!", Files.readString(host.resolve("result.txt")));
    assertEquals("unchanged", Files.readString(host.resolve("keep.txt")));
    var report = result.workspace().orElseThrow();
    assertEquals(1, report.filesOut(), "only the new file is written back");
    assertEquals(6, report.bytesOut());
  }

  @Test
  void escapeAttemptsAreBlocked() throws Exception {
    var out = new RecordingListener();
    var result = files(out, "escape", "/work");
    assertEquals(Outcome.exited(0), result.outcome(), out.stdout());
    assertFalse(out.stdout().contains("OPENED"), out.stdout());
    assertFalse(Files.exists(host.getParent().resolve("escaped.txt")));
  }

  @Test
  void withoutAMappingTheGuestSeesNoFiles() throws Exception {
    var out = new RecordingListener();
    var req =
        SandboxRequest.of(Fixtures.bytes("files.wasm"), LIMITS)
            .withArgs(List.of("read", "/etc/passwd"));
    var result = sandbox.submit(req, out).result().get(60, TimeUnit.SECONDS);
    assertEquals(Outcome.exited(1), result.outcome());
    assertTrue(out.stdout().isEmpty());
  }

  @Test
  void symlinkPlantedInTheHostDirectoryRefusesTheRun() throws Exception {
    Files.writeString(outside.resolve("secret.txt"), "host secret");
    Files.createDirectories(host.resolve("deep/er"));
    Files.createSymbolicLink(host.resolve("deep/er/link.txt"), outside.resolve("secret.txt"));
    var out = new RecordingListener();
    var thrown =
        assertThrows(ExecutionException.class, () -> files(out, "read", "/work/deep/er/link.txt"));
    var cause = assertInstanceOf(WorkspaceException.class, thrown.getCause());
    assertTrue(cause.getMessage().contains("deep/er/link.txt"), cause.getMessage());
    assertTrue(cause.getMessage().contains("symbolic link"), cause.getMessage());
    assertTrue(out.chunks.isEmpty());
  }

  @Test
  void symlinkedDirectoryIsRefusedToo() throws Exception {
    Files.createSymbolicLink(host.resolve("etc"), Path.of("/etc"));
    assertThrows(ExecutionException.class, () -> files(new RecordingListener(), "ls", "/work/etc"));
  }

  @Test
  void mappingASymlinkAsTheRootIsRefused() throws Exception {
    Path link = outside.resolve("root-link");
    Files.createSymbolicLink(link, host);
    var req =
        SandboxRequest.of(Fixtures.bytes("files.wasm"), LIMITS)
            .withArgs(List.of("ls", "/work"))
            .withWorkspace(new WorkspaceMapping(link, "/work"));
    var thrown =
        assertThrows(
            ExecutionException.class,
            () -> sandbox.submit(req, new RecordingListener()).result().get(60, TimeUnit.SECONDS));
    assertInstanceOf(WorkspaceException.class, thrown.getCause());
  }

  @Test
  void fifoInTheHostDirectoryIsRefused() throws Exception {
    Process mkfifo = new ProcessBuilder("mkfifo", host.resolve("pipe").toString()).start();
    assertTrue(mkfifo.waitFor(10, TimeUnit.SECONDS));
    assertEquals(0, mkfifo.exitValue());
    var thrown =
        assertThrows(ExecutionException.class, () -> files(new RecordingListener(), "ls", "/work"));
    assertTrue(thrown.getCause().getMessage().contains("pipe"), thrown.getCause().getMessage());
  }

  @Test
  void guestCreatedSymlinksAreRefused() throws Exception {
    var out = new RecordingListener();
    var result = files(out, "symlink", "/etc/passwd", "/work/link");
    assertEquals(Outcome.exited(1), result.outcome());
    assertFalse(Files.exists(host.resolve("link"), LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  void copyInIsCappedInBytesAndFiles() throws Exception {
    for (int i = 0; i < 3; i++) {
      Files.write(host.resolve("f" + i), new byte[1024]);
    }
    var bytesCap = LIMITS.withWorkspace(2048, 100);
    var thrown =
        assertThrows(
            ExecutionException.class,
            () -> files(bytesCap, new RecordingListener(), "ls", "/work"));
    assertTrue(
        thrown.getCause().getMessage().contains("2048 bytes"), thrown.getCause().getMessage());
    var filesCap = LIMITS.withWorkspace(1 << 20, 2);
    var thrown2 =
        assertThrows(
            ExecutionException.class,
            () -> files(filesCap, new RecordingListener(), "ls", "/work"));
    assertTrue(
        thrown2.getCause().getMessage().contains("more than 2 entries"),
        thrown2.getCause().getMessage());
  }

  @Test
  void guestWritesAreCapped() throws Exception {
    var limits = LIMITS.withWorkspace(256 * 1024, 1000);
    var out = new RecordingListener();
    var result = files(limits, out, "bulk", "/work", "100", "10000");
    assertEquals(
        Outcome.exited(1), result.outcome(), "the guest's writes fail once its space is used up");
    long written;
    try (var stream = Files.list(host)) {
      written = stream.mapToLong(p -> p.toFile().length()).sum();
    }
    assertTrue(written <= 256 * 1024, "wrote " + written);
  }

  @Test
  void listingShowsTheMappedTree() throws Exception {
    Files.writeString(host.resolve("b.txt"), "b");
    Files.writeString(host.resolve("a.txt"), "a");
    Files.createDirectories(host.resolve("dir"));
    var out = new RecordingListener();
    var result = files(out, "ls", "/work");
    assertEquals(Outcome.exited(0), result.outcome());
    assertEquals("a.txt\nb.txt\ndir\n", out.stdout());
    assertNotNull(result.workspace().orElseThrow());
    assertEquals(
        "a", new String(Files.readAllBytes(host.resolve("a.txt")), StandardCharsets.UTF_8));
  }
}
