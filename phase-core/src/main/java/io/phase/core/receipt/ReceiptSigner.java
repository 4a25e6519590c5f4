package io.phase.core.receipt;

import io.phase.core.identity.NodeKey;
import io.phase.p2p.bytes.Bytes;
import java.time.Instant;

/** Signs results with the worker's node key. */
public final class ReceiptSigner {

  private ReceiptSigner() {}

  /**
   * Signs {@code result}, completed at {@code completedAt} (truncated to milliseconds). The
   * envelope's job id is the result's.
   *
   * @throws IllegalArgumentException if {@code result.worker} is not {@code key}'s peer id
   */
  public static SignedReceipt sign(NodeKey key, WasmResult result, Instant completedAt) {
    if (!result.worker().equals(key.peerId())) {
      throw new IllegalArgumentException(
          "result.worker " + result.worker() + " is not this node's peer id " + key.peerId());
    }
    Instant at = SignedReceipt.receiptTime(completedAt);
    byte[] message =
        SignedReceipt.signedMessage(SignedReceipt.SCHEMA_VERSION, result, result.jobId(), at);
    return new SignedReceipt(
        SignedReceipt.SCHEMA_VERSION,
        result,
        result.jobId(),
        key.publicKey(),
        Bytes.wrapOwned(key.sign(message)),
        at);
  }
}
