package io.phase.jenkins;

import io.phase.core.step.StepFiles;
import io.phase.core.step.StepReceipt;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One row of a build's receipts page: the step's {@link ReceiptEntry} and its receipt verified
 * again now from the step directory's files.
 *
 * @param entry what was recorded when the step ended
 * @param verifiedNow whether the stored receipt verifies now
 * @param verificationNow the result of verifying it now, in a few words
 */
public record ReceiptView(ReceiptEntry entry, boolean verifiedNow, String verificationNow) {

  /**
   * Largest transcript verified again when a page is shown; a larger one would hold a request
   * thread too long, and the page shows the verification recorded when the step ended.
   */
  static final long MAX_REVERIFIED_TRANSCRIPT = 32L << 20;

  /** The row of {@code entry}, its files in {@code stepDir}. */
  public static ReceiptView of(ReceiptEntry entry, Path stepDir) {
    if (!entry.hasReceipt()) {
      return new ReceiptView(entry, false, "no receipt");
    }
    try {
      Path transcript = stepDir.resolve(StepFiles.TRANSCRIPT);
      if (Files.exists(transcript) && Files.size(transcript) > MAX_REVERIFIED_TRANSCRIPT) {
        return new ReceiptView(
            entry,
            entry.isVerified(),
            "transcript too large to verify on each view; at the end of the step: "
                + entry.getVerification());
      }
      Optional<StepReceipt> receipt = StepReceipt.read(stepDir);
      if (receipt.isEmpty()) {
        return new ReceiptView(entry, false, "the receipt file is missing");
      }
      return new ReceiptView(
          entry,
          receipt.get().verified(),
          PhaseSettings.printable(receipt.get().verification().message()));
    } catch (IOException e) {
      return new ReceiptView(entry, false, "cannot read the receipt: " + PhaseSettings.oneLine(e));
    }
  }
}
