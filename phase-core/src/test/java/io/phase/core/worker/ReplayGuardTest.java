package io.phase.core.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.phase.core.worker.ReplayGuard.Verdict;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ReplayGuardTest {
  final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

  @Test
  void duplicatesAndReplaysAreRefusedUntilTheyExpire() {
    ReplayGuard guard = new ReplayGuard(10, Duration.ofMinutes(5), clock);
    assertEquals(Verdict.FRESH, guard.record("job1", "n1"));
    assertEquals(Verdict.DUPLICATE_JOB_ID, guard.record("job1", "n2"));
    assertEquals(Verdict.REPLAYED_NONCE, guard.record("job2", "n1"));
    assertEquals(Verdict.FRESH, guard.check("job2", "n2"));
    assertEquals(1, guard.size(), "refused and checked requests are not remembered");
    clock.advance(Duration.ofMinutes(5).minusMillis(1));
    assertEquals(Verdict.DUPLICATE_JOB_ID, guard.record("job1", "n1"));
    clock.advance(Duration.ofMillis(1));
    assertEquals(Verdict.FRESH, guard.record("job1", "n1"));
  }

  @Test
  void aFullGuardRefusesInsteadOfForgetting() {
    ReplayGuard guard = new ReplayGuard(2, Duration.ofMinutes(1), clock);
    assertEquals(Verdict.FRESH, guard.record("a", "1"));
    clock.advance(Duration.ofSeconds(30));
    assertEquals(Verdict.FRESH, guard.record("b", "2"));
    assertEquals(Verdict.FULL, guard.record("c", "3"));
    assertEquals(Verdict.DUPLICATE_JOB_ID, guard.record("a", "9"), "still remembered");
    clock.advance(Duration.ofSeconds(30));
    assertEquals(1, guard.size());
    assertEquals(Verdict.FRESH, guard.record("c", "3"));
  }

  @Test
  void aClockSteppingBackDoesNotResurrectOrExtendEntries() {
    ReplayGuard guard = new ReplayGuard(4, Duration.ofMinutes(1), clock);
    guard.record("a", "1");
    clock.advance(Duration.ofMinutes(2));
    assertEquals(0, guard.size());
    clock.advance(Duration.ofMinutes(-10));
    assertEquals(Verdict.FRESH, guard.record("b", "2"));
    clock.advance(Duration.ofMinutes(10));
    assertEquals(Verdict.DUPLICATE_JOB_ID, guard.record("b", "3"));
    clock.advance(Duration.ofMinutes(1));
    assertEquals(Verdict.FRESH, guard.record("b", "3"));
  }

  @Test
  void parametersAreChecked() {
    assertThrows(
        IllegalArgumentException.class, () -> new ReplayGuard(0, Duration.ofMinutes(1), clock));
    assertThrows(IllegalArgumentException.class, () -> new ReplayGuard(1, Duration.ZERO, clock));
  }
}
