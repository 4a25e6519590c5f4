package io.phase.core.worker;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Remembers the job ids and nonces of admitted requests for a window, so a replayed or duplicated
 * request is refused. Bounded: at most {@code capacity} requests are remembered; when that many are
 * inside the window, new requests are refused ({@link Verdict#FULL}) rather than forgetting one
 * early, so a replay can never slip through because of load. Thread-safe.
 */
public final class ReplayGuard {

  /** The answer for one request. */
  public enum Verdict {
    /** Never seen within the window. */
    FRESH,
    /** Its job id was already used. */
    DUPLICATE_JOB_ID,
    /** Its nonce was already used. */
    REPLAYED_NONCE,
    /** The guard is full of unexpired entries; refuse for now. */
    FULL
  }

  private record Entry(String jobId, String nonce, long expiresAtMillis) {}

  private final int capacity;
  private final long windowMillis;
  private final Clock clock;
  private final Deque<Entry> byAge = new ArrayDeque<>();
  private final Map<String, Entry> jobIds = new HashMap<>();
  private final Map<String, Entry> nonces = new HashMap<>();
  private long latestNow = Long.MIN_VALUE;

  /**
   * A guard remembering at most {@code capacity} requests for {@code window} each.
   *
   * @throws IllegalArgumentException if capacity is not positive or window not positive
   */
  public ReplayGuard(int capacity, Duration window, Clock clock) {
    if (capacity < 1) {
      throw new IllegalArgumentException("replay guard capacity must be positive");
    }
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("replay window must be positive");
    }
    this.capacity = capacity;
    this.windowMillis = window.toMillis();
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** What {@link #record} would answer, without remembering anything. */
  public synchronized Verdict check(String jobId, String nonce) {
    expire();
    if (jobIds.containsKey(jobId)) {
      return Verdict.DUPLICATE_JOB_ID;
    }
    if (nonces.containsKey(nonce)) {
      return Verdict.REPLAYED_NONCE;
    }
    return byAge.size() >= capacity ? Verdict.FULL : Verdict.FRESH;
  }

  /** Checks the request and, if it is {@link Verdict#FRESH}, remembers it. */
  public synchronized Verdict record(String jobId, String nonce) {
    Verdict verdict = check(jobId, nonce);
    if (verdict == Verdict.FRESH) {
      Entry entry = new Entry(jobId, nonce, latestNow + windowMillis);
      byAge.addLast(entry);
      jobIds.put(jobId, entry);
      nonces.put(nonce, entry);
    }
    return verdict;
  }

  /** Requests remembered now. */
  public synchronized int size() {
    expire();
    return byAge.size();
  }

  private void expire() {
    // a clock stepping backwards must not extend or reorder entries
    latestNow = Math.max(latestNow, clock.millis());
    while (!byAge.isEmpty() && byAge.peekFirst().expiresAtMillis() <= latestNow) {
      Entry old = byAge.removeFirst();
      jobIds.remove(old.jobId());
      nonces.remove(old.nonce());
    }
  }
}
