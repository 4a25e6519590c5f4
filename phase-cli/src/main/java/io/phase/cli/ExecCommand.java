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
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
  static final long MAX_STDIN_BYTES = 64L << 20;

  @Option(
      names = "--env",
      paramLabel = "K=V",
      description = "Environment variable for the guest (repeatable).")
  List<String> env = new ArrayList<>();

  @Option(
      names = "--stdin",
      paramLabel = "FILE|-",
      description = "Standard input for the guest (at most 64 MiB).")
  String stdin;

  @Option(
      names = "--dir",
      paramLabel = "HOST[:GUEST]",
      description =
          "Map a host directory into the guest (default guest path /work). It is copied in, and the guest's writes copied back.")
  String dir;

  @Option(
      names = "--memory-mb",
      paramLabel = "N",
      description = "Memory limit in MiB (default ${DEFAULT-VALUE}).")
  int memoryMb = SandboxLimits.DEFAULTS.memoryMb();

  @Option(
      names = "--timeout-s",
      paramLabel = "N",
      description = "Wall-clock limit in seconds (default ${DEFAULT-VALUE}).")
  long timeoutSeconds = SandboxLimits.DEFAULTS.timeout().toSeconds();

  @Option(
      names = "--max-output-mb",
      paramLabel = "N",
      description = "Limit on stdout+stderr in MiB (default ${DEFAULT-VALUE}).")
  long maxOutputMb = SandboxLimits.DEFAULTS.maxOutputBytes() >> 20;

  @Option(names = "--receipt", paramLabel = "FILE", description = "Write the signed receipt here.")
  Path receipt;

  @Option(
      names = "--transcript",
      paramLabel = "FILE",
      description = "Write the output chunks here, so the commitment can be replayed.")
  Path transcript;

  @Mixin KeyOption key;

  @Parameters(index = "0", paramLabel = "MODULE", description = "The WASI command module (.wasm).")
  Path module;

  @Parameters(index = "1..*", paramLabel = "ARGS", description = "Arguments for the guest.")
  List<String> args = new ArrayList<>();

  @Override
  public Integer call() {
    SandboxLimits limits = limits();
    byte[] moduleBytes = readModule(limits);
    SandboxRequest request =
        new SandboxRequest(
            moduleBytes,
            module.getFileName().toString(),
            args,
            environment(),
            readStdin(),
            Optional.ofNullable(dir).map(d -> new WorkspaceSource.HostDirectory(mapping(d))),
            limits);
    NodeKey nodeKey = key.loadOrCreate(ExitCodes.PHASE_ERROR);
    SandboxConfig config =
        SandboxConfig.defaults()
            .withConcurrency(1, 1)
            .withMaximums(SandboxLimits.OPERATOR_DEFAULT_MAXIMUMS);
    try (Sandbox sandbox = new Sandbox(config);
        TranscriptSink sink = new TranscriptSink(transcript)) {
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
      return exitStatus(report.result());
    }
  }

  private SandboxLimits limits() {
    if (memoryMb < 1 || memoryMb > SandboxLimits.MAX_MEMORY_MB) {
      throw new UserError(
          ExitCodes.PHASE_ERROR,
          "--memory-mb must be between 1 and " + SandboxLimits.MAX_MEMORY_MB);
    }
    if (timeoutSeconds < 1 || timeoutSeconds > 86_400) {
      throw new UserError(ExitCodes.PHASE_ERROR, "--timeout-s must be between 1 and 86400");
    }
    if (maxOutputMb < 0 || maxOutputMb > 1 << 20) {
      throw new UserError(ExitCodes.PHASE_ERROR, "--max-output-mb must be between 0 and 1048576");
    }
    return SandboxLimits.DEFAULTS
        .withMemoryMb(memoryMb)
        .withTimeout(Duration.ofSeconds(timeoutSeconds))
        .withMaxOutputBytes(maxOutputMb << 20);
  }

  private byte[] readModule(SandboxLimits limits) {
    if (!Files.exists(module)) {
      throw new UserError(ExitCodes.MODULE_NOT_FOUND, "module " + module + " does not exist");
    }
    if (Files.isDirectory(module)) {
      throw new UserError(ExitCodes.INVALID_MODULE, "module " + module + " is a directory");
    }
    long max =
        Math.min(limits.maxModuleBytes(), SandboxLimits.OPERATOR_DEFAULT_MAXIMUMS.maxModuleBytes());
    try {
      if (Files.size(module) > max) {
        throw new UserError(
            ExitCodes.INVALID_MODULE,
            "module " + module + " is larger than the limit of " + max + " bytes");
      }
    } catch (IOException e) {
      throw new UserError(
          ExitCodes.PHASE_ERROR, "cannot read module " + module + ": " + e.getMessage());
    }
    return BoundedFiles.read(module, max, "module", ExitCodes.PHASE_ERROR);
  }

  private Map<String, String> environment() {
    Map<String, String> map = new LinkedHashMap<>();
    for (String pair : env) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new UserError(ExitCodes.PHASE_ERROR, "--env expects K=V, got '" + pair + "'");
      }
      map.put(pair.substring(0, eq), pair.substring(eq + 1));
    }
    return map;
  }

  private byte[] readStdin() {
    if (stdin == null) {
      return new byte[0];
    }
    if (stdin.equals("-")) {
      try {
        return BoundedFiles.readCapped(
            System.in, MAX_STDIN_BYTES, "standard input", ExitCodes.PHASE_ERROR);
      } catch (IOException e) {
        throw new UserError(ExitCodes.PHASE_ERROR, "cannot read standard input: " + e.getMessage());
      }
    }
    return BoundedFiles.read(
        Path.of(stdin), MAX_STDIN_BYTES, "--stdin file", ExitCodes.PHASE_ERROR);
  }

  private static WorkspaceMapping mapping(String spec) {
    try {
      return WorkspaceMapping.parse(spec);
    } catch (IllegalArgumentException e) {
      throw new UserError(ExitCodes.PHASE_ERROR, "--dir: " + e.getMessage());
    }
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
    if (receipt != null) {
      BoundedFiles.writeAtomically(receipt, report.receipt().toJson(), "receipt");
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
    return switch (outcome.kind()) {
      case EXITED ->
          result.workspace().map(w -> w.copyOutError()).isPresent()
                  && result.workspace().get().copyOutError() != null
              ? ExitCodes.PHASE_ERROR
              : outcome.exitCode();
      case TRAPPED -> ExitCodes.TRAPPED;
      case TIMED_OUT -> ExitCodes.TIMED_OUT;
      case MEMORY_LIMIT -> ExitCodes.MEMORY_LIMIT;
      case OUTPUT_LIMIT -> ExitCodes.OUTPUT_LIMIT;
      case CANCELLED -> ExitCodes.CANCELLED;
      case INVALID_MODULE -> ExitCodes.INVALID_MODULE;
    };
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

  /** One of our own standard streams; after its first failed write, writes are dropped. */
  private static final class ConsoleStream {
    private final OutputStream out;
    private boolean broken;

    ConsoleStream(FileDescriptor fd) {
      out = new FileOutputStream(fd);
    }

    void write(byte[] data) {
      if (broken) {
        return;
      }
      try {
        out.write(data);
        out.flush();
      } catch (IOException e) {
        broken = true;
      }
    }
  }
}
