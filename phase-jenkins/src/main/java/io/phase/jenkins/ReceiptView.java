package io.phase.jenkins;

import io.phase.core.step.StepReceipt;
import java.io.IOException;
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

  /** The row of {@code entry}, its files in {@code stepDir}. */
  public static ReceiptView of(ReceiptEntry entry, Path stepDir) {
    if (!entry.hasReceipt()) {
      return new ReceiptView(entry, false, "no receipt");
    }
    try {
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
