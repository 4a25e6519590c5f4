package io.phase.core.worker;

import io.phase.core.receipt.SignedReceipt;
import io.phase.p2p.peer.PeerId;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What an operator sees of one job this worker knows (running, or finished and still retained).
 *
 * @param jobId the submitter's job id (64 hex chars)
 * @param submitter the peer that submitted it
 * @param moduleHash {@code sha256:<hex>} of its module
 * @param memoryMb guest memory admitted for it
 * @param startedAt when it started on this worker
 * @param finishedAt when it ended; empty while running
 * @param outcome how it ended: a receipt outcome ({@code exited}, {@code trapped}, {@code
 *     timed_out}, ...) or, without a receipt, the error code ({@code internal}, {@code
 *     bad_workspace}); empty while running
 * @param receipt the signed receipt, if it ended with one
 */
public record JobSummary(
    String jobId,
    PeerId submitter,
    String moduleHash,
    long memoryMb,
    Instant startedAt,
    Optional<Instant> finishedAt,
    Optional<String> outcome,
    Optional<SignedReceipt> receipt) {

  public JobSummary {
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(submitter, "submitter");
    Objects.requireNonNull(moduleHash, "moduleHash");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(finishedAt, "finishedAt");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(receipt, "receipt");
  }

  /** True while the job runs (or waits for a sandbox slot). */
  public boolean running() {
    return finishedAt.isEmpty();
  }

  /** Time from start to end, or to {@code now} while running. */
  public Duration duration(Instant now) {
    Duration d = Duration.between(startedAt, finishedAt.orElse(now));
    return d.isNegative() ? Duration.ZERO : d;
  }
}
