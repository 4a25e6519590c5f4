package io.phase.cli;

import io.phase.core.client.JobSpec;
import io.phase.core.receipt.Expectations;
import io.phase.core.receipt.ReceiptVerifier;
import io.phase.core.receipt.SignedReceipt;
import io.phase.core.receipt.Transcript;
import io.phase.core.receipt.TranscriptReader;
import io.phase.core.receipt.Verification;
import io.phase.core.receipt.WasmResult;
import io.phase.core.sandbox.SandboxLimits;
import io.phase.core.workspace.WorkspaceArchive;
import io.phase.core.workspace.WorkspaceException;
import io.phase.p2p.peer.PeerId;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code phase verify}: strict verification of a signed receipt. */
@Command(
    name = "verify",
    description = {
      "Verify a signed receipt: its signature and schema, and whatever else you give.",
      "--module, --transcript, --worker and --job-id each add a check.",
      "Exit status: 0 valid, 1 invalid (the reason on stderr), 2 usage or unreadable input."
    },
    mixinStandardHelpOptions = true,
    sortOptions = false)
final class VerifyCommand implements Callable<Integer> {
  /** A transcript holds at most what a job may output, plus its JSON and base64 overhead. */
  static final long MAX_TRANSCRIPT_BYTES =
      2L * SandboxLimits.OPERATOR_DEFAULT_MAXIMUMS.maxOutputBytes();

  @Option(
      names = "--module",
      paramLabel = "FILE",
      description = "The module the job ran; its hash must match.")
  Path module;

  @Option(
      names = "--transcript",
      paramLabel = "FILE",
      description = "The output transcript; the commitment is replayed over it.")
  Path transcript;

  @Option(
      names = "--worker",
      paramLabel = "PEERID",
      description = "The worker that must have signed.")
  String worker;

  @Option(
      names = "--job-id",
      paramLabel = "HEX",
      description = "The job id the receipt must be for.")
  String jobId;

  @Option(
      names = "--dir",
      paramLabel = "HOST[:GUEST[:ro]]",
      description =
          "An input tree the job must have run with, as given to phase run (repeatable, in the"
              + " same order): the receipt must name exactly these trees, by digest.")
  List<String> dirs = new ArrayList<>();

  @Option(
      names = "--out",
      paramLabel = "GUEST:HOST",
      description =
          "An output tree as phase run --out returned it (repeatable): the receipt must name GUEST"
              + " with the Merkle digest of what HOST holds now.")
  List<String> outs = new ArrayList<>();

  @Parameters(index = "0", paramLabel = "RECEIPT", description = "The receipt JSON file.")
  Path receipt;

  @Override
  public Integer call() {
    byte[] receiptBytes =
        BoundedFiles.read(receipt, SignedReceipt.MAX_BYTES, "receipt", ExitCodes.USAGE);
    Expectations.Builder expected = Expectations.builder();
    if (module != null) {
      expected.moduleBytes(
          BoundedFiles.read(
              module,
              SandboxLimits.OPERATOR_DEFAULT_MAXIMUMS.maxModuleBytes(),
              "module",
              ExitCodes.USAGE));
    }
    if (worker != null) {
      try {
        expected.worker(PeerId.parse(worker));
      } catch (IllegalArgumentException e) {
        throw new UserError(ExitCodes.USAGE, "--worker: " + e.getMessage());
      }
    }
    if (jobId != null) {
      try {
        expected.jobId(jobId);
      } catch (IllegalArgumentException e) {
        throw new UserError(ExitCodes.USAGE, "--job-id: " + e.getMessage());
      }
    }
    if (transcript != null) {
      expected.transcript(readTranscript(transcript));
    }
    if (!dirs.isEmpty()) {
      List<WasmResult.Input> inputs = new ArrayList<>();
      for (JobSpec.InputMount m :
          Mounts.inputs(
              dirs, JobSpec.InputMount.DEFAULT_MAX_BYTES, JobSpec.InputMount.DEFAULT_MAX_ENTRIES)) {
        try {
          inputs.add(
              new WasmResult.Input(
                  m.guestPath(),
                  WorkspaceArchive.treeDigest(m.hostDir(), m.maxBytes(), m.maxEntries()),
                  m.readOnly()));
        } catch (WorkspaceException | IOException e) {
          throw new UserError(ExitCodes.USAGE, "--dir " + m.hostDir() + ": " + e.getMessage());
        }
      }
      expected.inputs(inputs);
    }
    for (String spec : outs) {
      var out = Mounts.output(spec);
      try {
        expected.outputTree(
            out.guestPath(),
            WorkspaceArchive.treeDigest(
                out.hostDir(), JobSpec.MAX_OUTPUT_TREE_BYTES, JobSpec.MAX_OUTPUT_TREE_ENTRIES));
      } catch (WorkspaceException | IOException e) {
        throw new UserError(ExitCodes.USAGE, "--out " + out.hostDir() + ": " + e.getMessage());
      }
    }
    Verification result = ReceiptVerifier.verify(receiptBytes, expected.build());
    if (!result.isOk()) {
      System.err.println(
          "invalid: " + result.reason().name().toLowerCase() + ": " + result.message());
      return ExitCodes.INVALID;
    }
    SignedReceipt parsed = SignedReceipt.parse(receiptBytes);
    var r = parsed.result();
    String outcome =
        r.exitCode().isPresent()
            ? r.outcome().wireName() + "(" + r.exitCode().getAsInt() + ")"
            : r.outcome().wireName();
    System.out.println(
        "valid: job "
            + r.jobId()
            + " ran "
            + r.moduleHash()
            + " on "
            + r.worker()
            + ": "
            + outcome);
    for (WasmResult.Input in : r.inputs()) {
      System.out.println(
          "input "
              + in.path()
              + " "
              + in.digest()
              + (in.readOnly() ? " read-only" : " read-write")
              + (dirs.isEmpty() ? "" : " (matches)"));
    }
    for (WasmResult.OutputTree out : r.outputs()) {
      boolean checked = outs.stream().anyMatch(o -> o.startsWith(out.path() + ":"));
      System.out.println(
          "output " + out.path() + " " + out.digest() + (checked ? " (matches)" : ""));
    }
    return 0;
  }

  private static Transcript readTranscript(Path path) {
    try (InputStream in = Files.newInputStream(path)) {
      return TranscriptReader.readAll(in, Transcript.MAX_LINE_BYTES, MAX_TRANSCRIPT_BYTES);
    } catch (NoSuchFileException e) {
      throw new UserError(ExitCodes.USAGE, "transcript " + path + " does not exist");
    } catch (IllegalArgumentException e) {
      throw new UserError(ExitCodes.INVALID, "invalid: transcript: " + e.getMessage());
    } catch (IOException e) {
      throw new UserError(
          ExitCodes.USAGE, "cannot read transcript " + path + ": " + e.getMessage());
    }
  }
}
