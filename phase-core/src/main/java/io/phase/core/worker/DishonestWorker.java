package io.phase.core.worker;

import io.phase.core.receipt.OutputKind;
import io.phase.core.receipt.SignedReceipt;

/**
 * Test hook: lets a test turn a real worker dishonest, changing what goes on the wire after the
 * sandbox and the signer did their honest work. Package-private; never set in production.
 */
interface DishonestWorker {
  /** The bytes sent for output chunk {@code seq} instead of {@code data}. */
  default byte[] output(long seq, OutputKind kind, byte[] data) {
    return data;
  }

  /**
   * The bytes sent for the output-tree chunk starting at {@code offset} instead of {@code data}.
   */
  default byte[] outputTree(long offset, byte[] data) {
    return data;
  }

  /** The receipt sent instead of {@code honest}. */
  default SignedReceipt receipt(SignedReceipt honest) {
    return honest;
  }
}
