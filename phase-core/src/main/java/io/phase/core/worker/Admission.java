package io.phase.core.worker;

import io.phase.core.exec.JobId;
import io.phase.core.protocol.JobOffer;
import io.phase.core.protocol.JobResponse;
import io.phase.core.protocol.RejectReason;
import io.phase.core.protocol.RejectReason.InsufficientResources;
import io.phase.core.protocol.RejectReason.InvalidRequest;
import io.phase.core.protocol.RunLimits;
import io.phase.core.protocol.RunMessage;
import io.phase.core.sandbox.SandboxLimits;
import io.phase.p2p.peer.PeerId;
import io.phase.p2p.text.PrintableText;
import java.time.Clock;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether this worker takes a job, under a {@link WorkerPolicy}, and accounts for run and
 * queue slots. Every refusal carries a {@link RejectReason}; the checks run in a fixed order so the
 * reason is predictable: submitter not allowed, malformed ids or ranges, replayed job id or nonce
 * (all {@code InvalidRequest}), arch ({@code ArchMismatch}), runtime ({@code RuntimeNotSupported}),
 * resources ({@code InsufficientResources} naming {@code cpu}, {@code memory}, {@code time}, {@code
 * module_size}, {@code stdin_size} or {@code workspace_size}), then slots ({@code QueueFull}).
 * Thread-safe.
 */
public final class Admission {
  private static final Logger LOG = LoggerFactory.getLogger(Admission.class);

  /** The job manifest's ranges (schema 0.1), which offers must respect. */
  static final long MAX_MANIFEST_CPU = 64;

  static final long MAX_MANIFEST_MEMORY_MB = 32768;
  static final long MAX_MANIFEST_TIMEOUT_SECONDS = SandboxLimits.MAX_TIMEOUT.toSeconds();

  private final WorkerPolicy policy;
  private final Clock clock;
  private final ReplayGuard offers;
  private final ReplayGuard submits;
  private int admitted;
  private long reservedMemoryMb;
  private boolean draining;

  public Admission(WorkerPolicy policy, Clock clock) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.offers = new ReplayGuard(policy.replayCapacity(), policy.replayWindow(), clock);
    this.submits = new ReplayGuard(policy.replayCapacity(), policy.replayWindow(), clock);
  }

  /** The outcome of {@link #submit}: a ticket holding a slot, or a refusal. */
  public sealed interface Decision {}

  /**
   * Admitted: {@code limits} are what the worker will enforce. Close the ticket when the job ends
   * (or is abandoned) to free its slot.
   */
  public final class Ticket implements Decision, AutoCloseable {
    private final String jobId;
    private final RunLimits limits;
    private final long memoryMb;
    private boolean closed;

    private Ticket(String jobId, RunLimits limits) {
      this.jobId = jobId;
      this.limits = limits;
      this.memoryMb = limits.memoryMb();
    }

    public String jobId() {
      return jobId;
    }

    public RunLimits limits() {
      return limits;
    }

    /** Frees the slot; idempotent. */
    @Override
    public void close() {
      synchronized (Admission.this) {
        if (!closed) {
          closed = true;
          admitted--;
          reservedMemoryMb -= memoryMb;
        }
      }
    }
  }

  /** Refused, with the reason to send. */
  public record Refused(RejectReason reason) implements Decision {}

  /** Guest memory reserved now by admitted jobs (running and queued), in MiB. */
  public synchronized long reservedMemoryMb() {
    return reservedMemoryMb;
  }

  /** True once {@link #drain} was called: every new job is refused. */
  public synchronized boolean draining() {
    return draining;
  }

  /** Jobs holding a run or queue slot. */
  public synchronized int admitted() {
    return admitted;
  }

  /**
   * Answers a {@code /phase/job-offer/1.0.0} request. An offer reserves nothing: it says whether a
   * job like this would be taken now. An accepted offer's job id and nonce are remembered, so the
   * same offer is not answered twice.
   */
  public synchronized JobResponse offer(PeerId from, JobOffer offer, PeerId self) {
    RejectReason reason = offerRefusal(from, offer);
    if (reason == null) {
      ReplayGuard.Verdict verdict = offers.record(offer.jobId(), offer.nonce());
      reason = replayRefusal(verdict);
    }
    if (reason != null) {
      LOG.info(
          "offer_rejected peer={} job_id={} reason={}",
          from,
          PrintableText.token(offer.jobId()),
          reason.describe());
      return new JobResponse.Rejected(offer.jobId(), reason);
    }
    return new JobResponse.Accepted(offer.jobId(), estimatedStart(), self);
  }

  private RejectReason offerRefusal(PeerId from, JobOffer offer) {
    if (!policy.allows(from)) {
      return new InvalidRequest(RejectReason.NOT_ALLOWED);
    }
    if (!JobId.isWellFormed(offer.jobId())) {
      return new InvalidRequest("job_id must be 64 lowercase hex characters");
    }
    JobOffer.Requirements r = offer.requirements();
    if (r.cpuCores() < 1 || r.cpuCores() > MAX_MANIFEST_CPU) {
      return new InvalidRequest("cpu_cores must be 1.." + MAX_MANIFEST_CPU);
    }
    if (r.memoryMb() < 1 || r.memoryMb() > MAX_MANIFEST_MEMORY_MB) {
      return new InvalidRequest("memory_mb must be 1.." + MAX_MANIFEST_MEMORY_MB);
    }
    if (r.timeoutSeconds() < 1 || r.timeoutSeconds() > MAX_MANIFEST_TIMEOUT_SECONDS) {
      return new InvalidRequest("timeout_seconds must be 1.." + MAX_MANIFEST_TIMEOUT_SECONDS);
    }
    RejectReason replay = replayRefusal(offers.check(offer.jobId(), offer.nonce()));
    if (replay != null) {
      return replay;
    }
    if (!r.arch().equals(policy.arch())) {
      return new RejectReason.ArchMismatch(r.arch(), policy.arch());
    }
    if (!r.wasmRuntime().equals(policy.wasmRuntime())) {
      return new RejectReason.RuntimeNotSupported(r.wasmRuntime());
    }
    if (r.cpuCores() > policy.cpuCores()) {
      return new InsufficientResources("cpu");
    }
    if (r.memoryMb() > policy.maxMemoryMb() || r.memoryMb() > policy.maxMemoryTotalMb()) {
      return new InsufficientResources("memory");
    }
    if (r.timeoutSeconds() * 1000 > policy.maxTimeout().toMillis()) {
      return new InsufficientResources("time");
    }
    if (draining || admitted >= slots() || !memoryFits(r.memoryMb())) {
      return new RejectReason.QueueFull();
    }
    return null;
  }

  /** True if {@code memoryMb} more fits the total guest-memory budget now. */
  private boolean memoryFits(long memoryMb) {
    return reservedMemoryMb + memoryMb <= policy.maxMemoryTotalMb();
  }

  /**
   * From now on every offer and submit is refused with {@code QueueFull}: the worker is stopping.
   */
  public synchronized void drain() {
    draining = true;
  }

  /**
   * Decides a job-run SUBMIT from {@code from}. On admission takes a slot and returns a {@link
   * Ticket} with the effective limits: memory and time as asked (a request above the maximum is
   * refused, since clamping would break the job), output clamped to the maximum.
   */
  public synchronized Decision submit(PeerId from, RunMessage.Submit submit) {
    RejectReason reason = submitRefusal(from, submit);
    if (reason == null) {
      reason = replayRefusal(submits.record(submit.jobId(), submit.nonce()));
    }
    if (reason != null) {
      LOG.info(
          "submit_rejected peer={} job_id={} reason={}", from, submit.jobId(), reason.describe());
      return new Refused(reason);
    }
    admitted++;
    reservedMemoryMb += submit.limits().memoryMb();
    RunLimits asked = submit.limits();
    RunLimits effective =
        new RunLimits(
            asked.memoryMb(),
            asked.timeoutMs(),
            Math.min(asked.maxOutputBytes(), policy.maxOutputBytes()));
    LOG.info(
        "submit_admitted peer={} job_id={} admitted={} memory_mb={} reserved_memory_mb={}"
            + " timeout_ms={} max_output={}",
        from,
        submit.jobId(),
        admitted,
        effective.memoryMb(),
        reservedMemoryMb,
        effective.timeoutMs(),
        effective.maxOutputBytes());
    return new Ticket(submit.jobId(), effective);
  }

  private RejectReason submitRefusal(PeerId from, RunMessage.Submit s) {
    if (!policy.allows(from)) {
      return new InvalidRequest(RejectReason.NOT_ALLOWED);
    }
    RejectReason replay = replayRefusal(submits.check(s.jobId(), s.nonce()));
    if (replay != null) {
      return replay;
    }
    if (s.limits().memoryMb() > policy.maxMemoryMb()
        || s.limits().memoryMb() > policy.maxMemoryTotalMb()) {
      return new InsufficientResources("memory");
    }
    if (s.limits().timeoutMs() > policy.maxTimeout().toMillis()) {
      return new InsufficientResources("time");
    }
    if (s.moduleSize() > policy.maxModuleBytes()) {
      return new InsufficientResources("module_size");
    }
    if (s.stdinSize() > policy.maxStdinBytes()) {
      return new InsufficientResources("stdin_size");
    }
    if (s.workspaceSize() > policy.maxWorkspaceBytes()) {
      return new InsufficientResources("workspace_size");
    }
    if (draining || admitted >= slots() || !memoryFits(s.limits().memoryMb())) {
      return new RejectReason.QueueFull();
    }
    return null;
  }

  private static RejectReason replayRefusal(ReplayGuard.Verdict verdict) {
    return switch (verdict) {
      case FRESH -> null;
      case DUPLICATE_JOB_ID -> new InvalidRequest("duplicate job_id");
      case REPLAYED_NONCE -> new InvalidRequest("replayed nonce");
      case FULL -> new RejectReason.QueueFull();
    };
  }

  private int slots() {
    return policy.maxConcurrentJobs() + policy.maxQueuedJobs();
  }

  /**
   * Unix seconds by which a job offered now would start, at worst: now if a run slot is free, else
   * after every job ahead of it ran for the maximum time.
   */
  private long estimatedStart() {
    long now = clock.instant().getEpochSecond();
    int ahead = admitted - policy.maxConcurrentJobs() + 1;
    if (ahead <= 0) {
      return now;
    }
    long rounds = (ahead + policy.maxConcurrentJobs() - 1) / policy.maxConcurrentJobs();
    return now + rounds * policy.maxTimeout().toSeconds();
  }
}
