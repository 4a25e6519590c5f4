package io.phase.core.step;

import io.phase.core.client.HandleState;
import io.phase.core.receipt.Expectations;
import io.phase.core.receipt.OutputSummary;
import io.phase.core.receipt.ReceiptVerifier;
import io.phase.core.receipt.SignedReceipt;
import io.phase.core.receipt.Transcript;
import io.phase.core.receipt.TranscriptReader;
import io.phase.core.receipt.Verification;
import io.phase.core.receipt.WasmResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A finished step's receipt as found in its directory, verified again from the files alone: signed
 * by the worker the step dispatched to, for its job id and module, over exactly the output in the
 * transcript. What a dashboard shows of a step.
 *
 * @param receiptJson the receipt as stored (canonical JSON)
 * @param result what the receipt says, present when it parsed
 * @param verification the outcome of verifying it again
 */
public record StepReceipt(
    byte[] receiptJson, Optional<WasmResult> result, Verification verification) {

  /**
   * Reads and verifies the receipt in {@code dir}; empty if the step has none (it failed, or is
   * still running).
   *
   * @throws IOException if the directory's files cannot be read
   */
  public static Optional<StepReceipt> read(Path dir) throws IOException {
    StepFiles files = StepFiles.at(dir);
    Path path = files.receipt();
    if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    if (Files.size(path) > SignedReceipt.MAX_BYTES) {
      throw new IOException(StepFiles.RECEIPT + " is larger than " + SignedReceipt.MAX_BYTES);
    }
    byte[] json = Files.readAllBytes(path);
    Optional<WasmResult> result;
    try {
      result = Optional.of(SignedReceipt.parse(json).result());
    } catch (RuntimeException e) {
      result = Optional.empty();
    }
    return Optional.of(new StepReceipt(json, result, verify(files, json)));
  }

  private static Verification verify(StepFiles files, byte[] json) throws IOException {
    Optional<HandleState> state = files.readState();
    if (state.isEmpty()) {
      return new Verification(Verification.Reason.MALFORMED, "the step's state file is missing");
    }
    HandleState job = state.get();
    OutputSummary output;
    try (InputStream in = Files.newInputStream(files.transcript())) {
      output =
          TranscriptReader.replay(
              in,
              Transcript.MAX_LINE_BYTES,
              StepFiles.maxTranscriptBytes(job.maxOutputBytes()),
              chunk -> {});
    } catch (IllegalArgumentException e) {
      return new Verification(
          Verification.Reason.OUTPUT_MISMATCH, "the transcript is damaged: " + e.getMessage());
    }
    return ReceiptVerifier.verify(
        json,
        Expectations.builder()
            .worker(job.worker())
            .jobId(job.jobId())
            .moduleHash(job.moduleHash())
            .output(output)
            .build());
  }

  /** True when the receipt verified. */
  public boolean verified() {
    return verification.reason() == Verification.Reason.OK;
  }
}
