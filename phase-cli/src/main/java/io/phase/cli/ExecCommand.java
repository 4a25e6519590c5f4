package io.phase.cli;

import io.phase.core.exec.ExecutionReport;
import io.phase.core.exec.LocalExecutor;
import io.phase.core.exec.LocalJob;
import io.phase.core.identity.NodeKey;
import io.phase.core.receipt.OutcomeKind;
import io.phase.core.receipt.OutputChunk;
import io.phase.core.receipt.OutputKind;
import io.phase.core.receipt.TranscriptWriter;
import io.phase.core.sandbox.Outcome;
import io.phase.core.sandbox.OutputListener;
import io.phase.core.sandbox.Sandbox;
import io.phase.core.sandbox.SandboxConfig;
import io.phase.core.sandbox.SandboxLimits;
import io.phase.core.sandbox.SandboxRequest;
import io.phase.core.sandbox.SandboxResult;
import io.phase.core.sandbox.WorkspaceMapping;
import io.phase.core.sandbox.WorkspaceSource;
import io.phase.core.workspace.WorkspaceException;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code phase exec}: run a module on this machine under hard limits and sign a receipt. */
@Command(
    name = "exec",
    description = {
      "Run a WASI module locally in the sandbox and sign a receipt for the run.",
      "Options come before MODULE; everything after MODULE goes to the guest verbatim.",
      "Exit status: the guest's exit code, or 124 timed out, 125 phase error,",
      "126 invalid module, 127 module not found, 130 cancelled, 134 trapped,",
      "137 memory limit, 141 output limit."
    },
    mixinStandardHelpOptions = true,
    sortOptions = false)
final class ExecCommand implements java.util.concurrent.Callable<Integer>, GuestCommand {
  @Option(
      names = "--dir",
      paramLabel = "HOST[:GUEST[:ro]]",
      description =
          "Map a host directory into the guest (repeatable; default guest path /work). It is copied"
              + " in, and the guest's writes copied back; with :ro the guest cannot write to it and"
              + " nothing is copied back.")
  List<String> dirs = new ArrayList<>();

  @Option(
      names = "--out",
      paramLabel = "GUEST:HOST",
      description =
          "After the run, copy the guest directory GUEST (inside a --dir mount) to the host"
              + " directory HOST (repeatable).")
  List<String> outs = new ArrayList<>();

  @Mixin GuestOptions guest;

  @Mixin KeyOption key;

  @Mixin CompiledCacheOptions compiledCache;

  @Parameters(index = "0", paramLabel = "MODULE", description = "The WASI command module (.wasm).")
  Path module;

  @Parameters(index = "1..*", paramLabel = "ARGS", description = "Arguments for the guest.")
  List<String> args = new ArrayList<>();

  @Override
  public Integer call() {
    SandboxLimits limits = guest.sandboxLimits();
    // The protocol allows up to 4096 MiB (a worker refuses what it cannot run); this sandbox
    // runs at most 2047, so say so before anything runs.
    if (limits.memoryMb() > SandboxLimits.ENGINE_MAX_MEMORY_MB) {
      throw new UserError(
          ExitCodes.PHASE_ERROR,
          "--memory-mb " + SandboxLimits.engineMemoryRefusal(limits.memoryMb()));
    }
    byte[] moduleBytes = GuestOptions.readModule(module, limits.maxModuleBytes());
    List<WorkspaceSource> mounts = new ArrayList<>();
    for (String d : dirs) {
      mounts.add(new WorkspaceSource.HostDirectory(mapping(d)));
    }
    List<WorkspaceMapping> outputs = new ArrayList<>();
    for (String o : outs) {
      outputs.add(Mounts.output(o));
    }
    SandboxRequest request;
    try {
      request =
          new SandboxRequest(
              moduleBytes,
              module.getFileName().toString(),
              args,
              guest.environment(),
              guest.readStdin(),
              mounts,
              outputs,
              limits);
    } catch (IllegalArgumentException e) {
      throw new UserError(ExitCodes.PHASE_ERROR, "--dir/--out: " + e.getMessage());
    }
    NodeKey nodeKey = key.loadOrCreate(ExitCodes.PHASE_ERROR);
    SandboxConfig config =
        compiledCache
            .apply(SandboxConfig.defaults())
            .withConcurrency(1, 1)
            // Locally the user is the operator: the options' own ranges are the maximums, so
            // nothing asked for is silently lowered.
            .withMaximums(
                SandboxLimits.OPERATOR_DEFAULT_MAXIMUMS.withMaxOutputBytes(
                    SandboxLimits.MAX_OUTPUT_BYTES));
    try (Sandbox sandbox = new Sandbox(config);
        TranscriptSink sink = new TranscriptSink(guest.transcript)) {
      LocalJob job = new LocalExecutor(sandbox, nodeKey).start(request, sink);
      Thread cancelOnInterrupt = new Thread(() -> cancelAndSave(job), "phase-exec-cancel");
      Runtime.getRuntime().addShutdownHook(cancelOnInterrupt);
      ExecutionReport report;
      boolean interrupted;
      try {
        report = await(job, limits.timeout());
      } finally {
        // Also on failure: System.exit runs hooks, and this one is for Ctrl-C only.
        interrupted = !removeHook(cancelOnInterrupt);
      }
      if (interrupted) {
        // Ctrl-C: the hook saves the receipt and reports, once; the JVM exits with 130.
        return ExitCodes.CANCELLED;
      }
      sink.flush();
      save(report);
      int status = exitStatus(report.result());
      finishCompiling(sandbox);
      return status;
    }
  }

  /**
   * A large module's first run is interpreted while it compiles in the background; let that compile
   * finish so it reaches the on-disk cache and later runs start compiled. Progress goes to stderr
   * only when stderr is a terminal. Ctrl-C skips it (the next run compiles again).
   */
  private static void finishCompiling(Sandbox sandbox) {
    if (!sandbox.compiling()) {
      return;
    }
    boolean terminal = stderrIsTerminal();
    long start = System.nanoTime();
    try {
      while (!sandbox.awaitCompilations(Duration.ofSeconds(1))) {
        if (terminal) {
          long seconds = (System.nanoTime() - start) / 1_000_000_000L;
          System.err.print(
              "\rphase: compiling the module for later runs (once per machine; Ctrl-C skips): "
                  + seconds
                  + " s");
          System.err.flush();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (terminal && System.nanoTime() - start > 1_000_000_000L) {
      System.err.println(" - done");
    }
  }

  /** Whether fd 2 is a terminal (Linux: /proc/self/fd/2 names a tty); false when unsure. */
  static boolean stderrIsTerminal() {
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return false;
    }
  }

  private static WorkspaceMapping mapping(String spec) {
    return Mounts.dir(spec);
  }

  private static ExecutionReport await(LocalJob job, Duration timeout) {
    try {
      // The sandbox reports a timed-out run itself; this bound only guards against a bug.
      return job.report().get(timeout.toSeconds() + 60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof WorkspaceException w) {
        throw new UserError(ExitCodes.PHASE_ERROR, "workspace: " + w.getMessage());
      }
      throw new UserError(
          ExitCodes.PHASE_ERROR, "the job could not run: " + e.getCause().getMessage());
    } catch (TimeoutException e) {
      job.cancel();
      throw new UserError(ExitCodes.TIMED_OUT, "the sandbox did not report in time");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      job.cancel();
      throw new UserError(ExitCodes.CANCELLED, "interrupted");
    }
  }

  /** Removes the Ctrl-C hook; false if too late because the JVM is already shutting down. */
  private static boolean removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
      return true;
    } catch (IllegalStateException shuttingDown) {
      return false;
    }
  }

  /** The shutdown hook: the only one to save and report once Ctrl-C has arrived. */
  private void cancelAndSave(LocalJob job) {
    job.cancel();
    try {
      ExecutionReport report = job.report().get(5, TimeUnit.SECONDS);
      save(report);
      System.err.println("phase: " + report.result().outcome().describe());
    } catch (Exception e) {
      System.err.println("phase: cancelled");
    }
  }

  private void save(ExecutionReport report) {
    if (guest.receipt != null) {
      BoundedFiles.writeAtomically(guest.receipt, report.receipt().toJson(), "receipt");
    }
  }

  private static int exitStatus(SandboxResult result) {
    Outcome outcome = result.outcome();
    result
        .workspace()
        .filter(w -> w.copyOutError() != null)
        .ifPresent(
            w ->
                System.err.println("phase: workspace not fully written back: " + w.copyOutError()));
    if (outcome.kind() != OutcomeKind.EXITED) {
      System.err.println("phase: " + outcome.describe());
    }
    boolean copyOutFailed = result.workspace().map(w -> w.copyOutError() != null).orElse(false);
    return copyOutFailed && outcome.kind() == OutcomeKind.EXITED
        ? ExitCodes.PHASE_ERROR
        : ExitCodes.forOutcome(outcome.kind(), outcome.exitCode());
  }

  /**
   * Copies guest output to our stdout/stderr as it arrives, and to the transcript file. If our
   * stdout or stderr is closed (e.g. piped into {@code head}), what would go there is dropped and
   * the guest runs on: its output still counts, in the commitment and the transcript.
   */
  static final class TranscriptSink implements OutputListener, AutoCloseable {
    private final ConsoleStream stdout = new ConsoleStream(FileDescriptor.out);
    private final ConsoleStream stderr = new ConsoleStream(FileDescriptor.err);
    private final TranscriptWriter writer;
    private final OutputStream file;
    private IOException transcriptError;

    TranscriptSink(Path path) {
      if (path == null) {
        file = null;
        writer = null;
        return;
      }
      try {
        file = Files.newOutputStream(path);
      } catch (IOException e) {
        throw new UserError(
            ExitCodes.PHASE_ERROR, "cannot write transcript " + path + ": " + e.getMessage());
      }
      writer = new TranscriptWriter(file);
    }

    @Override
    public void onOutput(OutputChunk chunk) {
      (chunk.kind() == OutputKind.STDOUT ? stdout : stderr).write(chunk.data());
      if (writer != null && transcriptError == null) {
        try {
          writer.append(chunk.kind(), chunk.data(), 0, chunk.data().length);
        } catch (IOException e) {
          transcriptError = e; // reported by flush(): a listener must not throw
        }
      }
    }

    void flush() {
      if (writer != null) {
        try {
          if (transcriptError != null) {
            throw transcriptError;
          }
          writer.flush();
        } catch (IOException e) {
          throw new UserError(ExitCodes.PHASE_ERROR, "cannot write transcript: " + e.getMessage());
        }
      }
    }

    @Override
    public void close() {
      if (writer != null) {
        try {
          writer.close();
        } catch (IOException e) {
          throw new UserError(ExitCodes.PHASE_ERROR, "cannot write transcript: " + e.getMessage());
        }
      }
    }
  }
}
