package io.phase.core.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phase.core.receipt.OutcomeKind;
import io.phase.core.workspace.RawArchive;
import io.phase.core.workspace.WorkspaceArchive;
import io.phase.core.workspace.WorkspaceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A workspace given as an archive is unpacked into the guest's file system, under the caps. */
class ArchiveWorkspaceTest {
  static Sandbox sandbox;
  static final SandboxLimits LIMITS =
      SandboxLimits.DEFAULTS.withMemoryMb(64).withTimeout(Duration.ofSeconds(20));

  @TempDir Path host;

  @BeforeAll
  static void start() {
    sandbox = new Sandbox(SandboxConfig.defaults().withConcurrency(2, 16));
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  SandboxResult run(byte[] archive, SandboxLimits limits, RecordingListener out, String... args)
      throws Exception {
    var req =
        SandboxRequest.of(Fixtures.bytes("files.wasm"), limits)
            .withArgs(List.of(args))
            .withWorkspace(new WorkspaceSource.Archive(archive, "/job"));
    return sandbox.submit(req, out).result().get(60, TimeUnit.SECONDS);
  }

  @Test
  void guestReadsFilesFromTheArchive() throws Exception {
    Files.createDirectories(host.resolve("src"));
    Files.writeString(host.resolve("src/a.txt"), "hello from the archive");
    byte[] archive = WorkspaceArchive.packToBytes(host, 1 << 20, 100);
    var out = new RecordingListener();
    SandboxResult result = run(archive, LIMITS, out, "read", "/job/src/a.txt");
    assertEquals(OutcomeKind.EXITED, result.outcome().kind(), out.stderr());
    assertEquals("hello from the archive", out.stdout());
    WorkspaceReport report = result.workspace().orElseThrow();
    assertEquals(2, report.filesIn());
    assertEquals(22, report.bytesIn());
    assertEquals(0, report.filesOut());
    // the host directory is untouched by guest writes
    run(archive, LIMITS, new RecordingListener(), "write", "/job/new.txt", "x");
    assertTrue(Files.notExists(host.resolve("new.txt")));
  }

  @Test
  void hostileArchiveRefusesTheRun() {
    var thrown =
        assertThrows(
            ExecutionException.class,
            () ->
                run(
                    new RawArchive().file("../escape", new byte[] {1}).end(),
                    LIMITS,
                    new RecordingListener(),
                    "ls",
                    "/job"));
    var cause = assertInstanceOf(WorkspaceException.class, thrown.getCause());
    assertTrue(cause.getMessage().contains("'..'"), cause.getMessage());
  }

  @Test
  void archiveOverTheRunsWorkspaceCapIsRefused() throws Exception {
    byte[] archive = new RawArchive().file("big", new byte[4096]).end();
    var thrown =
        assertThrows(
            ExecutionException.class,
            () ->
                run(
                    archive,
                    LIMITS.withWorkspace(1024, 10),
                    new RecordingListener(),
                    "ls",
                    "/job"));
    assertTrue(thrown.getCause().getMessage().contains("larger than"));
  }
}
