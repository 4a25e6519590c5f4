package io.phase.core.client;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link PhaseClient} dispatches.
 *
 * @param maxAttempts attempts per job, on different workers where possible
 * @param backoff delay before the second attempt, doubled each time up to {@code maxBackoff}
 * @param reattachAttempts tries to follow a job again after its connection dropped
 * @param exchangeTimeout dialing and the job-offer exchange, each
 * @param resultSlack time allowed beyond the job's own timeout for upload, queueing and result
 * @param maxRetainedOutput output remembered to suppress duplicates on retry; beyond it a failed
 *     job is not retried
 */
public record ClientConfig(
    int maxAttempts,
    Duration backoff,
    Duration maxBackoff,
    int reattachAttempts,
    Duration exchangeTimeout,
    Duration resultSlack,
    long maxRetainedOutput) {

  public ClientConfig {
    Objects.requireNonNull(backoff, "backoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    Objects.requireNonNull(exchangeTimeout, "exchangeTimeout");
    Objects.requireNonNull(resultSlack, "resultSlack");
    if (maxAttempts < 1 || maxAttempts > 32 || reattachAttempts < 0 || reattachAttempts > 32) {
      throw new IllegalArgumentException("attempts must be 1..32 and reattaches 0..32");
    }
    if (maxRetainedOutput < 0) {
      throw new IllegalArgumentException("maxRetainedOutput must not be negative");
    }
  }

  /** 3 attempts, 200 ms → 5 s backoff, 3 reattaches, 10 s exchanges, 60 s slack, 64 MiB. */
  /** This configuration with at most {@code value} attempts (the first and the retries). */
  public ClientConfig withMaxAttempts(int value) {
    return new ClientConfig(
        value,
        backoff,
        maxBackoff,
        reattachAttempts,
        exchangeTimeout,
        resultSlack,
        maxRetainedOutput);
  }

  public static ClientConfig defaults() {
    return new ClientConfig(
        3,
        Duration.ofMillis(200),
        Duration.ofSeconds(5),
        3,
        Duration.ofSeconds(10),
        Duration.ofSeconds(60),
        64L << 20);
  }
}
