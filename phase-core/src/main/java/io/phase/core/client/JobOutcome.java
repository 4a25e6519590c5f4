package io.phase.core.client;

import io.phase.core.receipt.OutcomeKind;
import io.phase.core.receipt.SignedReceipt;
import io.phase.p2p.peer.PeerId;
import java.util.OptionalInt;

/**
 * A finished job whose receipt verified against the dispatched worker and the received output;
 * {@code outputTrees} are the output trees asked for, each checked against the receipt's digest.
 */
public record JobOutcome(
    String jobId, PeerId worker, SignedReceipt receipt, java.util.List<ReturnedTree> outputTrees) {

  public JobOutcome {
    outputTrees = java.util.List.copyOf(outputTrees);
  }

  /** An outcome without output trees. */
  public JobOutcome(String jobId, PeerId worker, SignedReceipt receipt) {
    this(jobId, worker, receipt, java.util.List.of());
  }

  public OutcomeKind outcome() {
    return receipt.result().outcome();
  }

  public OptionalInt exitCode() {
    return receipt.result().exitCode();
  }
}
