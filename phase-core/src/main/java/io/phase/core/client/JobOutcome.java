package io.phase.core.client;

import io.phase.core.receipt.OutcomeKind;
import io.phase.core.receipt.SignedReceipt;
import io.phase.p2p.peer.PeerId;
import java.util.OptionalInt;

/** A finished job whose receipt verified against the dispatched worker and the received output. */
public record JobOutcome(String jobId, PeerId worker, SignedReceipt receipt) {

  public OutcomeKind outcome() {
    return receipt.result().outcome();
  }

  public OptionalInt exitCode() {
    return receipt.result().exitCode();
  }
}
