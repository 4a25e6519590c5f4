package io.phase.core.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phase.core.protocol.RunLimits;
import io.phase.core.protocol.RunMessage.ErrorCode;
import io.phase.core.receipt.OutputChunk;
import io.phase.core.receipt.OutputKind;
import io.phase.core.sandbox.OutputRefused;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A follower that stops reading, or no follower at all, pauses the guest instead of losing output;
 * the replay buffer stays within its bound; finished jobs share one replay budget.
 */
class JobRecordBackpressureTest {
  static final int CHUNK = 64 * 1024;
  static final long BUFFER = 1 << 20;
  static final long HIGH_WATER = 256 * 1024;
  static final int CHUNKS = 64; // 4 MiB: four times the replay buffer

  final AdmissionTest admission = new AdmissionTest();

  Admission.Ticket ticket(Admission a) {
    return (Admission.Ticket)
        a.submit(
            AdmissionTest.ALICE, admission.submit(new RunLimits(128, 30_000, 1 << 30), 1, 0, 0));
  }

  static final class StubFollower implements JobRecord.Follower {
    final AtomicReference<String> dropped = new AtomicReference<>();

    @Override
    public void wake() {}

    @Override
    public void drop(String reason) {
      dropped.set(reason);
    }
  }

  static byte[] payload(int i) {
    byte[] b = new byte[CHUNK];
    java.util.Arrays.fill(b, (byte) i);
    return b;
  }

  static Thread guest(JobRecord record, int chunks) {
    Thread t =
        new Thread(
            () -> {
              for (int i = 0; i < chunks; i++) {
                record.onOutput(new OutputChunk(i, OutputKind.STDOUT, payload(i)));
              }
            },
            "test-guest");
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** Reads everything from {@code cursor} as a stream would, asserting nothing was evicted. */
  static void drain(JobRecord record, JobRecord.Follower f, long cursor, Thread guest)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (cursor < CHUNKS) {
      assertTrue(System.nanoTime() < deadline, "drain did not finish within 20 s");
      OutputChunk chunk = record.chunkAt(cursor);
      assertNotSame(JobRecord.EVICTED, chunk, "chunk " + cursor + " was evicted before sent");
      if (chunk == null) {
        Thread.sleep(1);
        continue;
      }
      assertArrayEquals(payload((int) cursor), chunk.data());
      cursor++;
      record.sent(f, cursor, chunk.data().length);
    }
    guest.join(10_000);
    assertFalse(guest.isAlive());
  }

  @Test
  void aFollowerThatStopsReadingPausesTheGuestAndLosesNothing() throws Exception {
    Admission a = new Admission(AdmissionTest.policy().build(), admission.clock);
    JobRecord record = new JobRecord("j1", AdmissionTest.ALICE, ticket(a), BUFFER, HIGH_WATER);
    StubFollower f = new StubFollower();
    assertEquals(JobRecord.FollowResult.OK, record.follow(f, 0));
    Thread g = guest(record, CHUNKS);
    // the follower takes nothing for 1.5 s: the guest must be paused, not running ahead
    Thread.sleep(1500);
    assertTrue(g.isAlive(), "the guest ran ahead of a follower that took nothing");
    assertTrue(record.nextSeq() < CHUNKS);
    assertTrue(
        record.peakBufferedBytes() <= BUFFER + CHUNK,
        "peak buffered " + record.peakBufferedBytes());
    assertNull(f.dropped.get());
    drain(record, f, 0, g);
    assertEquals(CHUNKS, record.nextSeq());
    assertTrue(record.peakBufferedBytes() <= BUFFER + CHUNK);
  }

  @Test
  void withNoFollowerTheGuestPausesAtAFullBufferAndAReattachGetsEverything() throws Exception {
    Admission a = new Admission(AdmissionTest.policy().build(), admission.clock);
    JobRecord record = new JobRecord("j2", AdmissionTest.ALICE, ticket(a), BUFFER, HIGH_WATER);
    Thread g = guest(record, CHUNKS);
    Thread.sleep(1500);
    assertTrue(g.isAlive(), "the guest ran on with nobody to send its output to");
    assertTrue(record.bufferedBytes() <= BUFFER + CHUNK, "buffered " + record.bufferedBytes());
    StubFollower late = new StubFollower();
    assertEquals(JobRecord.FollowResult.OK, record.follow(late, 0));
    drain(record, late, 0, g);
    assertTrue(record.peakBufferedBytes() <= BUFFER + CHUNK);
  }

  @Test
  void aPausedGuestStopsWhenInterruptedByTheJobsDeadline() throws Exception {
    Admission a = new Admission(AdmissionTest.policy().build(), admission.clock);
    JobRecord record = new JobRecord("j3", AdmissionTest.ALICE, ticket(a), BUFFER, HIGH_WATER);
    record.follow(new StubFollower(), 0);
    AtomicReference<Boolean> interrupted = new AtomicReference<>();
    Thread g =
        new Thread(
            () -> {
              for (int i = 0; i < CHUNKS && !Thread.currentThread().isInterrupted(); i++) {
                record.onOutput(new OutputChunk(i, OutputKind.STDOUT, payload(i)));
              }
              interrupted.set(Thread.currentThread().isInterrupted());
            });
    g.start();
    Thread.sleep(500);
    assertTrue(g.isAlive());
    g.interrupt();
    g.join(5_000);
    assertFalse(g.isAlive());
    assertEquals(Boolean.TRUE, interrupted.get());
  }

  @Test
  void aGuestBeingStoppedCannotGrowTheBufferPastItsBound() throws Exception {
    Admission a = new Admission(AdmissionTest.policy().build(), admission.clock);
    JobRecord record = new JobRecord("j4", AdmissionTest.ALICE, ticket(a), BUFFER, HIGH_WATER);
    AtomicReference<Integer> refusedAt = new AtomicReference<>();
    Thread g =
        new Thread(
            () -> {
              // interrupted from the start, as by a cancel or the deadline: no wait holds it back
              Thread.currentThread().interrupt();
              for (int i = 0; i < CHUNKS; i++) {
                try {
                  record.onOutput(new OutputChunk(i, OutputKind.STDOUT, payload(i)));
                } catch (OutputRefused e) {
                  refusedAt.set(i);
                  return;
                }
              }
            });
    g.start();
    g.join(10_000);
    assertFalse(g.isAlive());
    assertTrue(
        record.peakBufferedBytes() <= BUFFER + CHUNK,
        "peak buffered " + record.peakBufferedBytes() + " with no follower");
    assertEquals((int) (BUFFER / CHUNK), refusedAt.get());
    assertEquals(BUFFER / CHUNK, record.nextSeq(), "a refused chunk takes no sequence number");
  }

  @Test
  void afterADetachTheLastOutputSentStaysForTheReattachAndTheGuestWaitsInstead() throws Exception {
    long inFlight = BUFFER / 2;
    int inFlightChunks = (int) (inFlight / CHUNK);
    Admission a = new Admission(AdmissionTest.policy().build(), admission.clock);
    JobRecord record =
        new JobRecord("j5", AdmissionTest.ALICE, "", 0, ticket(a), BUFFER, HIGH_WATER, inFlight);
    StubFollower f = new StubFollower();
    record.follow(f, 0);
    Thread g = guest(record, CHUNKS);
    // the stream sends 20 chunks, of which the client receives only the first 12: its
    // connection then dies with the last 8 (inFlight) unread
    int sent = 20;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    for (long cursor = 0; cursor < sent; ) {
      assertTrue(System.nanoTime() < deadline);
      OutputChunk chunk = record.chunkAt(cursor);
      if (chunk == null) {
        Thread.sleep(1);
        continue;
      }
      cursor++;
      record.sent(f, cursor, chunk.data().length);
    }
    assertTrue(record.unfollow(f));
    // with nobody following, the guest fills the buffer and then waits
    while (!record.outputPaused()) {
      assertTrue(System.nanoTime() < deadline, "the guest never paused");
      Thread.sleep(5);
    }
    assertTrue(record.peakBufferedBytes() <= BUFFER + CHUNK, "peak " + record.peakBufferedBytes());
    StubFollower back = new StubFollower();
    assertEquals(
        JobRecord.FollowResult.OK,
        record.follow(back, sent - inFlightChunks),
        "output sent but not received was evicted");
    drain(record, back, sent - inFlightChunks, g);
    assertTrue(record.peakBufferedBytes() <= BUFFER + CHUNK);
  }

  @Test
  void theDetachGraceLastsWhileTheGuestIsPausedAndEndsWhenItIsNot() throws Exception {
    WorkerConfig config =
        WorkerConfig.defaults(AdmissionTest.policy().jobs(4, 4).build())
            .withReplayBuffer(BUFFER, HIGH_WATER)
            .withDetachGrace(java.time.Duration.ofMillis(200));
    Admission a = new Admission(config.policy(), admission.clock);
    try (JobRegistry registry = new JobRegistry(config, admission.clock)) {
      JobRecord paused = new JobRecord("p", AdmissionTest.ALICE, ticket(a), BUFFER, HIGH_WATER);
      JobRecord quiet = new JobRecord("q", AdmissionTest.ALICE, ticket(a), BUFFER, HIGH_WATER);
      registry.register(paused);
      registry.register(quiet);
      StubFollower f1 = new StubFollower();
      StubFollower f2 = new StubFollower();
      paused.follow(f1, 0);
      quiet.follow(f2, 0);
      Thread g = guest(paused, CHUNKS); // a stalled client: nothing is ever taken
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!paused.outputPaused()) {
        assertTrue(System.nanoTime() < deadline, "the guest never paused");
        Thread.sleep(10);
      }
      registry.unfollowed(paused, f1);
      registry.unfollowed(quiet, f2);
      Thread.sleep(1500); // seven grace periods
      assertTrue(quiet.cancelRequested(), "a job nobody follows that is not paused is cancelled");
      assertFalse(paused.cancelRequested(), "a paused job was cancelled while it waited");
      // the client comes back: it gets everything from where it was
      StubFollower back = new StubFollower();
      assertEquals(JobRecord.FollowResult.OK, paused.follow(back, 0));
      drain(paused, back, 0, g);
      assertFalse(paused.cancelRequested());
    }
  }

  @Test
  void finishedJobsShareOneReplayBudgetAndTheOldestIsForgottenFirst() throws Exception {
    long buffer = 256 * 1024;
    WorkerConfig config =
        WorkerConfig.defaults(AdmissionTest.policy().jobs(4, 4).build())
            .withReplayBuffer(buffer, 64 * 1024)
            .withReplayBudget(2 * buffer);
    Admission a = new Admission(config.policy(), admission.clock);
    try (JobRegistry registry = new JobRegistry(config, admission.clock)) {
      String[] ids = {"old", "mid", "new"};
      for (String id : ids) {
        JobRecord r = new JobRecord(id, AdmissionTest.ALICE, ticket(a), buffer, 64 * 1024);
        registry.register(r);
        for (int i = 0; i < 4; i++) {
          r.onOutput(new OutputChunk(i, OutputKind.STDOUT, payload(i)));
        }
        registry.finished(r, new JobRecord.Failure(ErrorCode.INTERNAL, "test"));
        assertTrue(registry.retainedReplayBytes() <= 2 * buffer);
      }
      assertInstanceOf(JobRegistry.Unknown.class, registry.lookup("old", AdmissionTest.ALICE));
      assertInstanceOf(JobRegistry.Found.class, registry.lookup("mid", AdmissionTest.ALICE));
      assertInstanceOf(JobRegistry.Found.class, registry.lookup("new", AdmissionTest.ALICE));
      assertEquals(2 * buffer, registry.retainedReplayBytes());
    }
  }

  @Test
  void finishedJobsOutputTreesCountAgainstTheReplayBudget() throws Exception {
    long buffer = 256 * 1024;
    WorkerConfig config =
        WorkerConfig.defaults(AdmissionTest.policy().jobs(4, 4).build())
            .withReplayBuffer(buffer, 64 * 1024)
            .withReplayBudget(2 * buffer);
    Admission a = new Admission(config.policy(), admission.clock);
    try (JobRegistry registry = new JobRegistry(config, admission.clock)) {
      JobRecord small = new JobRecord("small", AdmissionTest.ALICE, ticket(a), buffer, 64 * 1024);
      registry.register(small);
      registry.finished(small, new JobRecord.Receipt(receipt("small"), new byte[(int) buffer]));
      assertEquals(buffer, registry.retainedReplayBytes());
      // Output trees larger than what is left of the budget: the oldest finished job goes first,
      // and the total held for reattaches stays within the budget.
      JobRecord big = new JobRecord("big", AdmissionTest.ALICE, ticket(a), buffer, 64 * 1024);
      registry.register(big);
      registry.finished(big, new JobRecord.Receipt(receipt("big"), new byte[(int) (2 * buffer)]));
      assertInstanceOf(JobRegistry.Unknown.class, registry.lookup("small", AdmissionTest.ALICE));
      assertInstanceOf(JobRegistry.Found.class, registry.lookup("big", AdmissionTest.ALICE));
      assertEquals(2 * buffer, registry.retainedReplayBytes());
    }
  }

  private static io.phase.core.receipt.SignedReceipt receipt(String jobId) {
    return io.phase.core.protocol.RunFixtures.receipt(
        // receipts name jobs by 64 hex chars; the registry's test ids are short names
        io.phase.core.sandbox.ModuleHash.of(jobId.getBytes()).substring("sha256:".length()),
        new byte[] {0, 'a', 's', 'm'},
        new io.phase.core.receipt.OutputCommitment());
  }
}
