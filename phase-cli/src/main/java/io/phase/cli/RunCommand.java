package io.phase.cli;

import io.phase.core.client.ClientConfig;
import io.phase.core.client.DhtWorkerDirectory;
import io.phase.core.client.JobFailedException;
import io.phase.core.client.JobHandle;
import io.phase.core.client.JobOutcome;
import io.phase.core.client.JobSpec;
import io.phase.core.client.PhaseClient;
import io.phase.core.client.ReturnedTree;
import io.phase.core.discovery.Capability;
import io.phase.core.node.NodeConfig;
import io.phase.core.node.PhaseNode;
import io.phase.core.protocol.RunLimits;
import io.phase.core.sandbox.SandboxLimits;
import io.phase.core.sandbox.WorkspaceMapping;
import io.phase.core.step.ExitStatus;
import io.phase.core.workspace.WorkspaceException;
import io.phase.p2p.errors.Causes;
import io.phase.p2p.kad.KadMode;
import io.phase.p2p.multiaddr.Multiaddr;
import io.phase.p2p.peer.PeerId;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code phase run}: dispatch a module to a worker found in the DHT and verify its receipt. */
@Command(
    name = "run",
    description = {
      "Run a module on a remote worker and verify its receipt.",
      "Run a WASI module on a remote worker found through the DHT: output streams live, the",
      "signed receipt is verified (signer = the worker dispatched to, job id, module, output)",
      "before phase exits, and a failed attempt is retried on another worker.",
      "Options come before MODULE; everything after MODULE goes to the guest verbatim.",
      "Exit status: the guest's exit code, or 121 network unreachable, 122 no worker ran the job,",
      "123 verification failed, and as for exec: 124 timed out, 125 phase error, 126 invalid",
      "module, 127 module not found, 130 cancelled, 134 trapped, 137 memory, 141 output limit."
    },
    mixinStandardHelpOptions = true,
    sortOptions = false)
final class RunCommand implements Callable<Integer>, GuestCommand {
  @Option(
      names = "--bootstrap",
      paramLabel = "MULTIADDR",
      description =
          "DHT peer to join through, ending in /p2p/<peer id> (repeatable). Default: the"
              + " space- or comma-separated multiaddrs in $PHASE_BOOTSTRAP.")
  List<String> bootstrap = new ArrayList<>();

  @Option(names = "--worker", paramLabel = "PEERID", description = "Run only on this worker.")
  String worker;

  @Option(
      names = "--dir",
      paramLabel = "HOST[:GUEST[:ro]]",
      description =
          "Mount a host directory in the guest (repeatable; default guest path /work; :ro makes it"
              + " read-only). Each is sent as a content-addressed tree, packed without links; a"
              + " worker that holds the tree already gets only its digest.")
  List<String> dirs = new ArrayList<>();

  @Option(
      names = "--out",
      paramLabel = "GUEST:HOST",
      description =
          "Return only the guest directory GUEST (inside a --dir mount) after the run, into the new"
              + " or empty host directory HOST, once its digest matches the signed receipt"
              + " (repeatable).")
  List<String> outs = new ArrayList<>();

  @Option(
      names = "--max-input-mb",
      paramLabel = "N",
      description =
          "Largest tree a --dir may hold, in MiB of file data (default ${DEFAULT-VALUE}).")
  long maxInputMb = JobSpec.InputMount.DEFAULT_MAX_BYTES >> 20;

  @Option(
      names = "--max-input-files",
      paramLabel = "N",
      description = "Most files and directories a --dir may hold (default ${DEFAULT-VALUE}).")
  int maxInputFiles = JobSpec.InputMount.DEFAULT_MAX_ENTRIES;

  @Option(
      names = "--retries",
      paramLabel = "N",
      description = "Other workers to try after a failed attempt (default ${DEFAULT-VALUE}).")
  int retries = 2;

  @Option(
      names = "--discovery-timeout-s",
      paramLabel = "N",
      description = "How long to look for workers (default ${DEFAULT-VALUE}).")
  int discoveryTimeoutSeconds = 15;

  @Option(
      names = "--progress",
      negatable = true,
      description =
          "Show where the job is (joining, finding workers, upload, waiting for a slot) on stderr."
              + " Default: only when stderr is a terminal.")
  Boolean progress;

  @Mixin GuestOptions guest;

  @Mixin KeyOption key;

  @Parameters(index = "0", paramLabel = "MODULE", description = "The WASI command module (.wasm).")
  Path module;

  @Parameters(index = "1..*", paramLabel = "ARGS", description = "Arguments for the guest.")
  List<String> args = new ArrayList<>();

  @Override
  public Integer call() {
    SandboxLimits limits = guest.sandboxLimits();
    if (retries < 0 || retries > 16) {
      throw new UserError(ExitCodes.PHASE_ERROR, "--retries must be between 0 and 16");
    }
    if (discoveryTimeoutSeconds < 1 || discoveryTimeoutSeconds > 600) {
      throw new UserError(ExitCodes.PHASE_ERROR, "--discovery-timeout-s must be between 1 and 600");
    }
    List<Multiaddr> peers =
        Parsing.bootstrapPeers(
            bootstrap, System.getenv(Parsing.BOOTSTRAP_ENV), ExitCodes.PHASE_ERROR);
    Optional<PeerId> only =
        Optional.ofNullable(worker).map(w -> Parsing.peerId(w, "--worker", ExitCodes.PHASE_ERROR));
    byte[] moduleBytes = GuestOptions.readModule(module, limits.maxModuleBytes());
    String arch = Capability.localArch();
    JobSpec spec =
        JobSpec.of(
                moduleBytes,
                new RunLimits(
                    limits.memoryMb(), limits.timeout().toMillis(), limits.maxOutputBytes()),
                arch,
                "chicory")
            .withArgs(args)
            .withEnv(guest.environment())
            .withStdin(guest.readStdin());
    if (maxInputMb < 0 || maxInputMb > 2047 || maxInputFiles < 0 || maxInputFiles > 1_000_000) {
      throw new UserError(
          ExitCodes.PHASE_ERROR, "--max-input-mb must be 0..2047 and --max-input-files 0..1000000");
    }
    for (JobSpec.InputMount mount : Mounts.inputs(dirs, maxInputMb << 20, maxInputFiles)) {
      spec = spec.withInput(mount);
    }
    List<WorkspaceMapping> outputs = Mounts.remoteOutputs(outs, dirs);
    for (WorkspaceMapping out : outputs) {
      spec = spec.withOutput(out.guestPath());
    }
    NodeConfig config =
        NodeConfig.of(
                key.loadOrCreate(ExitCodes.PHASE_ERROR),
                List.of(),
                "phase/" + PhaseVersion.version())
            .withBootstrap(peers)
            .withDhtMode(KadMode.CLIENT)
            .withLimits(PhaseClient.HOST_LIMITS);
    Duration discovery = Duration.ofSeconds(discoveryTimeoutSeconds);
    StatusLine status = StatusLine.forStderr(progress);
    try (PhaseNode node = PhaseNode.start(config);
        RemoteOutput output = new RemoteOutput(guest.transcript, status)) {
      status.show(ProgressText.joining(peers.size()), false);
      join(node, peers, discovery);
      ClientConfig clientConfig = ClientConfig.defaults().withMaxAttempts(retries + 1);
      try (PhaseClient client =
          new PhaseClient(
              node,
              new DhtWorkerDirectory(node.discovery(), arch, discovery, only),
              clientConfig)) {
        JobHandle handle = client.submit(spec, output);
        Thread cancelOnInterrupt = new Thread(() -> cancel(handle, status), "phase-run-cancel");
        Runtime.getRuntime().addShutdownHook(cancelOnInterrupt);
        JobOutcome outcome;
        try {
          outcome =
              await(
                  handle,
                  limits.timeout().plus(discovery).multipliedBy(retries + 1).plusSeconds(60));
        } finally {
          try {
            Runtime.getRuntime().removeShutdownHook(cancelOnInterrupt);
          } catch (IllegalStateException shuttingDown) {
            // Ctrl-C: the hook cancels the remote job
          }
        }
        output.finish();
        System.err.println(
            "phase: sent "
                + handle.bytesSent()
                + " bytes of module, stdin and input trees ("
                + spec.inputs().size()
                + " input tree"
                + (spec.inputs().size() == 1 ? "" : "s")
                + ")");
        if (guest.receipt != null) {
          BoundedFiles.writeAtomically(guest.receipt, outcome.receipt().toJson(), "receipt");
        }
        unpackOutputs(outcome, outputs, status);
        var result = outcome.receipt().result();
        status.println(
            "phase: receipt verified: job " + outcome.jobId() + " on " + outcome.worker());
        if (result.outcome() != io.phase.core.receipt.OutcomeKind.EXITED) {
          status.println(
              "phase: "
                  + result.outcome().wireName()
                  + (result.detail().isEmpty() ? "" : ": " + result.detail()));
        }
        return ExitCodes.forOutcome(
            result.outcome(), result.exitCode().isPresent() ? result.exitCode().getAsInt() : null);
      }
    } catch (IOException e) {
      throw new UserError(ExitCodes.PHASE_ERROR, "cannot start: " + e.getMessage());
    }
  }

  /** Unpacks each verified output tree into its --out host directory. */
  private static void unpackOutputs(
      JobOutcome outcome, List<WorkspaceMapping> outputs, StatusLine status) {
    for (ReturnedTree tree : outcome.outputTrees()) {
      WorkspaceMapping out =
          outputs.stream()
              .filter(o -> o.guestPath().equals(tree.path()))
              .findFirst()
              .orElseThrow(() -> new IllegalStateException("unrequested tree " + tree.path()));
      try {
        tree.unpackInto(out.hostDir());
      } catch (WorkspaceException e) {
        throw new UserError(ExitCodes.PHASE_ERROR, "--out " + tree.path() + ": " + e.getMessage());
      }
      status.println(
          "phase: output " + tree.path() + " (" + tree.digest() + ") -> " + out.hostDir());
    }
  }

  private static void join(PhaseNode node, List<Multiaddr> peers, Duration timeout) {
    try {
      node.joined().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      throw new UserError(
          ExitCodes.NETWORK_UNREACHABLE,
          "no bootstrap peer could be reached within "
              + timeout.toSeconds()
              + " s"
              + BootstrapDiagnosis.explain(node.host(), peers, DIAGNOSIS_TIMEOUT));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError(ExitCodes.CANCELLED, "interrupted");
    }
  }

  /** How long the dials that explain a failed join may take, together. */
  private static final Duration DIAGNOSIS_TIMEOUT = Duration.ofSeconds(10);

  private static JobOutcome await(JobHandle handle, Duration bound) {
    try {
      return handle.outcome().get(bound.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw failure(e.getCause());
    } catch (TimeoutException e) {
      handle.cancel();
      throw new UserError(ExitCodes.TIMED_OUT, "no result within " + bound.toSeconds() + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      handle.cancel();
      throw new UserError(ExitCodes.CANCELLED, "interrupted");
    }
  }

  private static UserError failure(Throwable cause) {
    if (!(cause instanceof JobFailedException failed)) {
      return new UserError(ExitCodes.PHASE_ERROR, "the job failed: " + Causes.rootMessage(cause));
    }
    return new UserError(ExitStatus.forFailure(failed.kind()), ExitStatus.failureMessage(failed));
  }

  private static void cancel(JobHandle handle, StatusLine status) {
    if (handle.outcome().isDone()) {
      return;
    }
    handle.cancel();
    try {
      handle.outcome().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      // reported below
    }
    status.println("phase: cancelled");
  }
}
