package io.phase.core.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.phase.core.exec.JobId;
import io.phase.core.identity.NodeKey;
import io.phase.core.protocol.JobOffer;
import io.phase.core.protocol.JobResponse;
import io.phase.core.protocol.RejectReason;
import io.phase.core.protocol.RejectReason.InsufficientResources;
import io.phase.core.protocol.RejectReason.InvalidRequest;
import io.phase.core.protocol.RunLimits;
import io.phase.core.protocol.RunMessage;
import io.phase.p2p.peer.PeerId;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AdmissionTest {
  static final PeerId SELF = NodeKey.generate().peerId();
  static final PeerId ALICE = NodeKey.generate().peerId();
  static final PeerId MALLORY = NodeKey.generate().peerId();
  static final String HASH = "sha256:" + "ee".repeat(32);
  static final Instant NOW = Instant.parse("2026-05-27T12:00:00Z");

  final MutableClock clock = new MutableClock(NOW);
  int counter;

  static WorkerPolicy.Builder policy() {
    return WorkerPolicy.builder("x86_64", "chicory")
        .cpuCores(4)
        .maxMemoryMb(512)
        .maxTimeout(Duration.ofMinutes(10))
        .maxOutputBytes(1 << 20)
        .maxModuleBytes(1 << 20)
        .maxStdinBytes(1 << 10)
        .maxWorkspace(1 << 16, 100)
        .jobs(1, 1);
  }

  String nonce() {
    return HexFormat.of().formatHex(new byte[12]) + String.format("%08x", ++counter);
  }

  JobOffer offer(int cpu, long memory, long seconds, String arch, String runtime) {
    return new JobOffer(
        JobId.random(),
        nonce(),
        HASH,
        new JobOffer.Requirements(cpu, memory, seconds, arch, runtime));
  }

  JobOffer offer() {
    return offer(1, 128, 30, "x86_64", "chicory");
  }

  RunMessage.Submit submit(RunLimits limits, long module, long stdin, long workspace) {
    return new RunMessage.Submit(
        JobId.random(), nonce(), HASH, module, List.of(), Map.of(), stdin, workspace, limits);
  }

  RunMessage.Submit submit() {
    return submit(new RunLimits(128, 30_000, 1 << 30), 100, 0, 0);
  }

  static RejectReason rejection(JobResponse response) {
    return ((JobResponse.Rejected) response).reason();
  }

  static RejectReason refusal(Admission.Decision decision) {
    return ((Admission.Refused) decision).reason();
  }

  @Test
  void offerIsAcceptedWithAnEstimatedStart() {
    Admission admission = new Admission(policy().build(), clock);
    JobOffer o = offer();
    JobResponse.Accepted a = (JobResponse.Accepted) admission.offer(ALICE, o, SELF);
    assertEquals(o.jobId(), a.jobId());
    assertEquals(NOW.getEpochSecond(), a.estimatedStart());
    assertEquals(SELF, a.nodePeerId());
    assertEquals(0, admission.admitted(), "an offer reserves nothing");
    admission.submit(ALICE, submit());
    JobResponse.Accepted queued = (JobResponse.Accepted) admission.offer(ALICE, offer(), SELF);
    assertEquals(NOW.getEpochSecond() + 600, queued.estimatedStart());
  }

  @Test
  void everyOfferRejectionReason() {
    Admission admission = new Admission(policy().build(), clock);
    assertEquals(
        new RejectReason.ArchMismatch("aarch64", "x86_64"),
        rejection(admission.offer(ALICE, offer(1, 128, 30, "aarch64", "chicory"), SELF)));
    assertEquals(
        new RejectReason.RuntimeNotSupported("wasmtime"),
        rejection(admission.offer(ALICE, offer(1, 128, 30, "x86_64", "wasmtime"), SELF)));
    assertEquals(
        new InsufficientResources("cpu"),
        rejection(admission.offer(ALICE, offer(8, 128, 30, "x86_64", "chicory"), SELF)));
    assertEquals(
        new InsufficientResources("memory"),
        rejection(admission.offer(ALICE, offer(1, 1024, 30, "x86_64", "chicory"), SELF)));
    assertEquals(
        new InsufficientResources("time"),
        rejection(admission.offer(ALICE, offer(1, 128, 601, "x86_64", "chicory"), SELF)));
    assertEquals(
        new InvalidRequest("memory_mb must be 1..32768"),
        rejection(admission.offer(ALICE, offer(1, 0, 30, "x86_64", "chicory"), SELF)));
    assertEquals(
        new InvalidRequest("cpu_cores must be 1..64"),
        rejection(admission.offer(ALICE, offer(65, 1, 30, "x86_64", "chicory"), SELF)));
    assertEquals(
        new InvalidRequest("timeout_seconds must be 1..3600"),
        rejection(admission.offer(ALICE, offer(1, 1, 3601, "x86_64", "chicory"), SELF)));
    JobOffer notHex =
        new JobOffer(
            "job-1", nonce(), HASH, new JobOffer.Requirements(1, 1, 1, "x86_64", "chicory"));
    assertEquals(
        new InvalidRequest("job_id must be 64 lowercase hex characters"),
        rejection(admission.offer(ALICE, notHex, SELF)));

    JobOffer o = offer();
    assertInstanceOf(JobResponse.Accepted.class, admission.offer(ALICE, o, SELF));
    assertEquals(
        new InvalidRequest("duplicate job_id"), rejection(admission.offer(ALICE, o, SELF)));
    JobOffer sameNonce = new JobOffer(JobId.random(), o.nonce(), HASH, o.requirements());
    assertEquals(
        new InvalidRequest("replayed nonce"), rejection(admission.offer(ALICE, sameNonce, SELF)));

    admission.submit(ALICE, submit());
    admission.submit(ALICE, submit());
    assertEquals(new RejectReason.QueueFull(), rejection(admission.offer(ALICE, offer(), SELF)));
  }

  @Test
  void allowlistRefusesOthers() {
    Admission admission = new Admission(policy().allowOnly(Set.of(ALICE)).build(), clock);
    assertEquals(
        new InvalidRequest("submitter is not allowed on this worker"),
        rejection(admission.offer(MALLORY, offer(), SELF)));
    assertEquals(
        new InvalidRequest("submitter is not allowed on this worker"),
        refusal(admission.submit(MALLORY, submit())));
    assertInstanceOf(JobResponse.Accepted.class, admission.offer(ALICE, offer(), SELF));
    assertInstanceOf(Admission.Ticket.class, admission.submit(ALICE, submit()));
  }

  @Test
  void submitLimitsAreClampedOrRefusedServerSide() {
    Admission admission = new Admission(policy().build(), clock);
    Admission.Ticket t = (Admission.Ticket) admission.submit(ALICE, submit());
    assertEquals(new RunLimits(128, 30_000, 1 << 20), t.limits(), "output clamped to the maximum");
    t.close();
    assertEquals(
        new InsufficientResources("memory"),
        refusal(admission.submit(ALICE, submit(new RunLimits(513, 1000, 1), 100, 0, 0))));
    assertEquals(
        new InsufficientResources("time"),
        refusal(admission.submit(ALICE, submit(new RunLimits(64, 600_001, 1), 100, 0, 0))));
    RunLimits ok = new RunLimits(64, 1000, 1);
    assertEquals(
        new InsufficientResources("module_size"),
        refusal(admission.submit(ALICE, submit(ok, (1 << 20) + 1, 0, 0))));
    assertEquals(
        new InsufficientResources("stdin_size"),
        refusal(admission.submit(ALICE, submit(ok, 100, 1025, 0))));
    assertEquals(
        new InsufficientResources("workspace_size"),
        refusal(admission.submit(ALICE, submit(ok, 100, 0, (1 << 16) + 1))));
    assertEquals(0, admission.admitted());
  }

  @Test
  void slotsAreCountedAndReleased() {
    Admission admission = new Admission(policy().build(), clock);
    Admission.Ticket running = (Admission.Ticket) admission.submit(ALICE, submit());
    Admission.Ticket queued = (Admission.Ticket) admission.submit(ALICE, submit());
    assertEquals(new RejectReason.QueueFull(), refusal(admission.submit(ALICE, submit())));
    running.close();
    running.close();
    assertEquals(1, admission.admitted(), "closing twice frees one slot");
    assertInstanceOf(Admission.Ticket.class, admission.submit(ALICE, submit()));
    queued.close();
  }

  @Test
  void replayedSubmitIsRefusedEvenAfterItsSlotIsFreed() {
    Admission admission = new Admission(policy().build(), clock);
    RunMessage.Submit s = submit();
    ((Admission.Ticket) admission.submit(ALICE, s)).close();
    assertEquals(new InvalidRequest("duplicate job_id"), refusal(admission.submit(ALICE, s)));
    RunMessage.Submit sameNonce =
        new RunMessage.Submit(
            JobId.random(), s.nonce(), HASH, 100, List.of(), Map.of(), 0, 0, s.limits());
    assertEquals(
        new InvalidRequest("replayed nonce"), refusal(admission.submit(MALLORY, sameNonce)));
    RunMessage.Submit refusedFirst = submit(new RunLimits(4000, 1000, 1), 100, 0, 0);
    refusal(admission.submit(ALICE, refusedFirst));
    assertEquals(0, admission.admitted());
  }

  @Test
  void fullReplayGuardRefusesAsQueueFull() {
    Admission admission =
        new Admission(policy().jobs(10, 0).replay(1, Duration.ofMinutes(1)).build(), clock);
    ((Admission.Ticket) admission.submit(ALICE, submit())).close();
    assertEquals(new RejectReason.QueueFull(), refusal(admission.submit(ALICE, submit())));
    clock.advance(Duration.ofMinutes(1));
    assertInstanceOf(Admission.Ticket.class, admission.submit(ALICE, submit()));
  }

  @Test
  void guestMemoryOfAllAdmittedJobsIsBudgeted() {
    Admission admission = new Admission(policy().jobs(4, 4).maxMemoryTotalMb(300).build(), clock);
    RunLimits mb200 = new RunLimits(200, 30_000, 1 << 20);
    RunLimits mb100 = new RunLimits(100, 30_000, 1 << 20);
    // more than the whole budget can never run here
    assertEquals(
        new InsufficientResources("memory"),
        rejection(admission.offer(ALICE, offer(1, 301, 30, "x86_64", "chicory"), SELF)));
    assertEquals(
        new InsufficientResources("memory"),
        refusal(admission.submit(ALICE, submit(new RunLimits(301, 30_000, 1), 100, 0, 0))));
    Admission.Ticket first =
        assertInstanceOf(Admission.Ticket.class, admission.submit(ALICE, submit(mb200, 100, 0, 0)));
    assertEquals(200, admission.reservedMemoryMb());
    Admission.Ticket second =
        assertInstanceOf(Admission.Ticket.class, admission.submit(ALICE, submit(mb100, 100, 0, 0)));
    assertEquals(300, admission.reservedMemoryMb());
    // fits once others finish: busy now (slots are free, memory is not)
    assertEquals(
        new RejectReason.QueueFull(),
        rejection(admission.offer(ALICE, offer(1, 200, 30, "x86_64", "chicory"), SELF)));
    assertEquals(
        new RejectReason.QueueFull(), refusal(admission.submit(ALICE, submit(mb200, 100, 0, 0))));
    first.close();
    first.close();
    assertEquals(100, admission.reservedMemoryMb());
    assertInstanceOf(Admission.Ticket.class, admission.submit(ALICE, submit(mb200, 100, 0, 0)));
    second.close();
    assertEquals(200, admission.reservedMemoryMb());
  }

  @Test
  void theDefaultMemoryBudgetIsSixtyPercentOfTheHeap() {
    long heapMb = Runtime.getRuntime().maxMemory() >> 20;
    long total = WorkerPolicy.defaultMemoryTotalMb();
    assertEquals(total, policy().build().maxMemoryTotalMb());
    assertEquals(heapMb * 60 / 100, total);
  }
}
