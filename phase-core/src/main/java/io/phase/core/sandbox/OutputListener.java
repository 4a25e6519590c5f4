package io.phase.core.sandbox;

import io.phase.core.receipt.OutputChunk;

/**
 * Receives the guest's output as it is written. Called on the guest's thread, in sequence order; a
 * slow listener slows the guest (that is the back-pressure). It must not throw, except {@link
 * OutputRefused} for a chunk it cannot hold while the guest is being stopped (that chunk is then
 * committed nowhere and the run ends).
 */
@FunctionalInterface
public interface OutputListener {
  void onOutput(OutputChunk chunk);

  /** A listener that drops everything (the commitment still covers it). */
  OutputListener DISCARD = chunk -> {};
}
