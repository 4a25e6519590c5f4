package io.phase.core.sandbox;

import com.dylibso.chicory.runtime.ChicoryInterruptedException;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wasi.WasiExitException;
import com.dylibso.chicory.wasi.WasiOptions;
import com.dylibso.chicory.wasi.WasiPreview1;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.UninstantiableException;
import com.dylibso.chicory.wasm.UnlinkableException;
import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import io.phase.core.receipt.OutcomeKind;
import io.phase.core.receipt.OutputKind;
import io.phase.core.sandbox.memory.FlatMemory;
import io.phase.core.sandbox.memory.MemoryLimitAtStart;
import io.phase.core.workspace.WorkspaceException;
import io.phase.core.workspace.WorkspaceUnpacker;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One guest run from start to typed outcome, on a guest thread of its {@link Sandbox}. A watchdog
 * interrupts the thread at the deadline (Chicory checks interruption at loop back-edges and calls,
 * in compiled and interpreted code); if the guest still has not stopped after the grace period, the
 * run is reported timed out anyway so no caller ever waits forever.
 */
final class GuestRun implements SandboxRun, Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(GuestRun.class);

  private final Sandbox sandbox;
  private final SandboxRequest request;
  private final SandboxLimits limits;
  private final String moduleHash;
  private final GuestOutput output;
  private final CompletableFuture<SandboxResult> result = new CompletableFuture<>();
  private final Object threadLock = new Object();
  private Thread runningThread;
  private volatile boolean cancelled;
  private volatile boolean timedOut;
  private volatile long startNanos;
  private volatile RuntimeInfo runtime;

  GuestRun(
      Sandbox sandbox,
      SandboxRequest request,
      SandboxLimits limits,
      String moduleHash,
      OutputListener listener) {
    this.sandbox = sandbox;
    this.request = request;
    this.limits = limits;
    this.moduleHash = moduleHash;
    this.output = new GuestOutput(limits.maxOutputBytes(), listener);
  }

  @Override
  public CompletableFuture<SandboxResult> result() {
    return result;
  }

  @Override
  public void cancel() {
    cancelled = true;
    interruptGuest();
    if (startNanos == 0) {
      finish(Outcome.of(OutcomeKind.CANCELLED, "cancelled before it started"), Optional.empty());
    }
  }

  void refuse(RuntimeException reason) {
    result.completeExceptionally(reason);
  }

  @Override
  public void run() {
    if (result.isDone()) {
      return;
    }
    long budget = sandbox.budgetFor(limits, !request.mounts().isEmpty());
    if (!sandbox.acquireBudget(budget, limits.timeout())) {
      result.completeExceptionally(
          new SandboxBusyException("no memory budget became free within " + limits.timeout()));
      return;
    }
    synchronized (threadLock) {
      runningThread = Thread.currentThread();
    }
    startNanos = System.nanoTime();
    if (cancelled) {
      finish(Outcome.of(OutcomeKind.CANCELLED, "cancelled before it started"), Optional.empty());
      synchronized (threadLock) {
        runningThread = null;
        Thread.interrupted();
      }
      sandbox.releaseBudget(budget);
      return;
    }
    ScheduledFuture<?> deadline =
        sandbox
            .scheduler()
            .schedule(this::onDeadline, limits.timeout().toNanos(), TimeUnit.NANOSECONDS);
    ScheduledFuture<?> hardStop =
        sandbox
            .scheduler()
            .schedule(
                this::onHardStop,
                limits.timeout().plus(sandbox.config().hardStopGrace()).toNanos(),
                TimeUnit.NANOSECONDS);
    try {
      execute();
    } catch (WorkspaceException e) {
      result.completeExceptionally(e);
    } catch (SandboxHostException e) {
      LOG.error("sandbox_host_error module={} error=\"{}\"", moduleHash, e.getMessage(), e);
      failOnHost(e);
    } catch (RuntimeException | Error e) {
      LOG.error("sandbox_host_error module={}", moduleHash, e);
      failOnHost(new SandboxHostException("internal sandbox error: " + e, e));
    } finally {
      deadline.cancel(false);
      hardStop.cancel(false);
      synchronized (threadLock) {
        runningThread = null;
        Thread.interrupted(); // leave the pool thread clean
      }
      sandbox.releaseBudget(budget);
    }
  }

  private void execute() throws WorkspaceException {
    CompiledWasm compiled;
    boolean cached;
    try {
      ModuleCompiler.checkSize(request.module(), limits.maxModuleBytes());
      ModuleCache.Lookup lookup =
          sandbox
              .cache()
              .prepare(
                  moduleHash,
                  request.module(),
                  limits.maxModuleBytes(),
                  sandbox.compiledStore(),
                  sandbox.backgroundCompiler(),
                  sandbox.config().interpretFirstBytes());
      compiled = lookup.compiled();
      cached = lookup.cached();
    } catch (InvalidModuleException e) {
      finish(Outcome.of(OutcomeKind.INVALID_MODULE, e.getMessage()), Optional.empty());
      return;
    } catch (InterruptedException e) {
      // Waiting for another run compiling the same module: the deadline or a cancel.
      finish(classifyEnd(new ChicoryInterruptedException("interrupted"), null), Optional.empty());
      return;
    }
    runtime =
        new RuntimeInfo(
            "chicory",
            Sandbox.CHICORY_VERSION,
            compiled.mode(),
            compiled.interpretedFunctions(),
            cached);

    List<WorkspaceSource> mounts = request.mounts();
    List<WorkspaceCopier> copiers = new ArrayList<>();
    try (FileSystem guestFs = mounts.isEmpty() ? null : newGuestFileSystem()) {
      List<Path> guestRoots = new ArrayList<>();
      long bytesIn = 0;
      int entriesIn = 0;
      for (WorkspaceSource source : mounts) {
        Path guestRoot = guestFs.getPath(source.guestPath());
        Files.createDirectories(guestRoot);
        guestRoots.add(guestRoot);
        long bytesLeft = Math.max(0, limits.maxWorkspaceBytes() - bytesIn);
        int entriesLeft = Math.max(0, limits.maxWorkspaceFiles() - entriesIn);
        WorkspaceCopier copier = new WorkspaceCopier(bytesLeft, entriesLeft);
        copiers.add(copier);
        if (source instanceof WorkspaceSource.HostDirectory host) {
          copier.copyIn(host.mapping().hostDir(), guestRoot);
          bytesIn += copier.bytesIn();
          entriesIn += copier.filesIn();
        } else if (source instanceof WorkspaceSource.Archive archive) {
          try (WorkspaceUnpacker unpacker =
              new WorkspaceUnpacker(guestRoot, bytesLeft, entriesLeft)) {
            unpacker.accept(archive.bytes());
            unpacker.finish();
            entriesIn += unpacker.entries();
            bytesIn += unpacker.fileBytes();
          }
        }
      }
      Outcome outcome = runGuest(compiled, guestRoots);
      Optional<WorkspaceReport> report = Optional.empty();
      if (!mounts.isEmpty()) {
        report = Optional.of(copyOut(copiers, guestRoots, guestFs, entriesIn, bytesIn, outcome));
      }
      finish(outcome, report);
    } catch (IOException e) {
      throw new WorkspaceException("cannot prepare the guest's file system: " + e.getMessage(), e);
    }
  }

  private FileSystem newGuestFileSystem() {
    long blocks = Math.max(1, (limits.maxWorkspaceBytes() + 8191) / 8192);
    return Jimfs.newFileSystem(
        Configuration.unix().toBuilder()
            // Chicory's WASI reads "unix:*" attributes, which Jimfs serves only when asked to.
            .setAttributeViews("basic", "owner", "posix", "unix")
            // Jimfs creates its working directory (by default /work); make it the first mount,
            // so a mount at "/" (then the only one: mounts do not nest) does not find, and copy
            // back, an extra /work directory.
            .setWorkingDirectory(request.mounts().get(0).guestPath())
            .setBlockSize(8192)
            .setMaxSize(blocks * 8192 + 8192)
            .build());
  }

  /**
   * Copies the guest's writes back to every read-write host directory, then every requested output
   * directory; read-only mounts and archives are never copied back. The first refusal stops the
   * copying and is reported.
   */
  private WorkspaceReport copyOut(
      List<WorkspaceCopier> copiers,
      List<Path> guestRoots,
      FileSystem guestFs,
      int filesIn,
      long bytesIn,
      Outcome outcome) {
    if (outcome.kind() == OutcomeKind.CANCELLED || outcome.kind() == OutcomeKind.INVALID_MODULE) {
      return new WorkspaceReport(filesIn, bytesIn, 0, 0, null);
    }
    long filesOut = 0;
    long bytesOut = 0;
    try {
      List<WorkspaceSource> mounts = request.mounts();
      for (int i = 0; i < mounts.size(); i++) {
        if (mounts.get(i) instanceof WorkspaceSource.HostDirectory host && !host.readOnly()) {
          long[] out = copiers.get(i).copyOut(guestRoots.get(i), host.mapping().hostDir());
          filesOut += out[0];
          bytesOut += out[1];
        }
      }
      for (WorkspaceMapping output : request.outputs()) {
        Path guestDir = guestFs.getPath(output.guestPath());
        if (!Files.isDirectory(guestDir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          throw new WorkspaceException(
              "output " + output.guestPath() + " is not a directory in the guest after the run");
        }
        Files.createDirectories(output.hostDir());
        WorkspaceCopier copier =
            new WorkspaceCopier(limits.maxWorkspaceBytes(), limits.maxWorkspaceFiles());
        long[] out = copier.copyOut(guestDir, output.hostDir());
        filesOut += out[0];
        bytesOut += out[1];
      }
      return new WorkspaceReport(filesIn, bytesIn, (int) filesOut, bytesOut, null);
    } catch (WorkspaceException | IOException e) {
      LOG.warn("sandbox_copy_out_refused module={} reason=\"{}\"", moduleHash, e.getMessage());
      return new WorkspaceReport(
          filesIn, bytesIn, (int) filesOut, bytesOut, String.valueOf(e.getMessage()));
    }
  }

  private Outcome runGuest(CompiledWasm compiled, List<Path> guestRoots) {
    List<String> argv = new ArrayList<>(request.args().size() + 1);
    argv.add(request.programName());
    argv.addAll(request.args());
    WasiOptions.Builder options =
        WasiOptions.builder()
            .withArguments(argv)
            .withStdin(new ByteArrayInputStream(request.stdin()), false)
            .withStdout(output.stream(OutputKind.STDOUT), false)
            .withStderr(output.stream(OutputKind.STDERR), false);
    for (Map.Entry<String, String> e : request.env().entrySet()) {
      options.withEnvironment(e.getKey(), e.getValue());
    }
    // Chicory numbers preopens from 3 in the order they are added.
    java.util.Set<Integer> readOnlyFds = new java.util.HashSet<>();
    for (int i = 0; i < guestRoots.size(); i++) {
      WorkspaceSource mount = request.mounts().get(i);
      options.withDirectory(mount.guestPath(), guestRoots.get(i));
      if (mount.readOnly()) {
        readOnlyFds.add(3 + i);
      }
    }
    FlatMemory[] memory = new FlatMemory[1];
    int capPages = limits.memoryPages();
    try (WasiPreview1 wasi = WasiPreview1.builder().withOptions(options.build()).build()) {
      Instance instance =
          Instance.builder(compiled.module())
              .withImportValues(WasiImports.forRun(wasi, new ReadOnlyGuard(readOnlyFds)))
              .withMachineFactory(compiled.machineFactory())
              .withMemoryFactory(
                  declared -> {
                    if (declared.initialPages() > capPages) {
                      throw new MemoryLimitAtStart(
                          "module needs "
                              + (declared.initialPages() / 16)
                              + " MiB of memory at start; the limit is "
                              + limits.memoryMb()
                              + " MiB");
                    }
                    if (declared.shared()) {
                      throw new UninstantiableException(
                          "shared memory (the threads proposal) is not supported");
                    }
                    int max = Math.min(declared.maximumPages(), capPages);
                    memory[0] = new FlatMemory(declared.initialPages(), max);
                    return memory[0];
                  })
              .withTableFactory(GuestTables::create)
              .withStart(false)
              .build();
      instance.export("_start").apply();
      return classifyEnd(null, memory[0]);
    } catch (Throwable t) {
      return classifyEnd(t, memory[0]);
    }
  }

  /** Maps how the guest stopped to an outcome; the host's own flags win over what was thrown. */
  private Outcome classifyEnd(Throwable thrown, FlatMemory memory) {
    WasiExitException exit = find(thrown, WasiExitException.class);
    if (cancelled) {
      return Outcome.of(OutcomeKind.CANCELLED, "cancelled");
    }
    if (timedOut) {
      return Outcome.of(
          OutcomeKind.TIMED_OUT, "wall-clock limit of " + human(limits.timeout()) + " reached");
    }
    if (output.limitExceeded()) {
      return Outcome.of(
          OutcomeKind.OUTPUT_LIMIT,
          "output exceeded the limit of " + limits.maxOutputBytes() + " bytes");
    }
    if (thrown == null) {
      return Outcome.exited(0);
    }
    if (exit != null) {
      return Outcome.exited(exit.exitCode());
    }
    MemoryLimitAtStart atStart = find(thrown, MemoryLimitAtStart.class);
    if (atStart != null) {
      return Outcome.of(OutcomeKind.MEMORY_LIMIT, atStart.getMessage());
    }
    if (thrown instanceof OutOfMemoryError) {
      LOG.error("sandbox_host_out_of_memory module={}", moduleHash);
      return Outcome.of(OutcomeKind.MEMORY_LIMIT, "the host ran out of memory");
    }
    if (find(thrown, StackOverflowError.class) != null) {
      return Outcome.of(OutcomeKind.TRAPPED, "call stack exhausted");
    }
    if (thrown instanceof ChicoryException && memory != null && memory.growRefused()) {
      return Outcome.of(
          OutcomeKind.MEMORY_LIMIT,
          "memory limit of " + (memory.maximumPages() / 16) + " MiB reached");
    }
    if (thrown instanceof UnlinkableException || thrown instanceof UninstantiableException) {
      return Outcome.of(OutcomeKind.INVALID_MODULE, "cannot instantiate: " + thrown.getMessage());
    }
    if (thrown instanceof ChicoryInterruptedException
        || find(thrown, OutputRefused.class) != null) {
      // Interrupted by something other than our deadline or cancel: treat as cancelled.
      return Outcome.of(OutcomeKind.CANCELLED, "interrupted");
    }
    if (thrown instanceof ChicoryException) {
      return Outcome.of(OutcomeKind.TRAPPED, String.valueOf(thrown.getMessage()));
    }
    if (thrown instanceof Error e) {
      throw e;
    }
    // Not a WASM trap (those are ChicoryExceptions): an exception of the host's own code, such as
    // an IllegalArgumentException from a memory or WASI call. It is the host's failure, never the
    // guest's, so it must not become a "trapped" outcome or receipt.
    throw new SandboxHostException("internal sandbox error: " + thrown, thrown);
  }

  /** Ends the run as the host's failure: no outcome, no receipt. */
  private void failOnHost(SandboxHostException e) {
    output.close();
    result.completeExceptionally(e);
  }

  private static <T extends Throwable> T find(Throwable thrown, Class<T> type) {
    for (Throwable t = thrown; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  private void onDeadline() {
    timedOut = true;
    interruptGuest();
  }

  private void onHardStop() {
    if (!result.isDone()) {
      LOG.warn(
          "sandbox_guest_ignored_deadline module={} grace={}",
          moduleHash,
          sandbox.config().hardStopGrace());
      output.close();
      finish(
          Outcome.of(
              OutcomeKind.TIMED_OUT, "wall-clock limit of " + human(limits.timeout()) + " reached"),
          Optional.empty());
    }
  }

  private void interruptGuest() {
    synchronized (threadLock) {
      if (runningThread != null) {
        runningThread.interrupt();
      }
    }
  }

  private void finish(Outcome outcome, Optional<WorkspaceReport> workspace) {
    long start = startNanos;
    Duration wall = start == 0 ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - start);
    output.close();
    result.complete(
        new SandboxResult(outcome, moduleHash, wall, output.summary(), limits, runtime, workspace));
  }

  private static String human(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }
}
