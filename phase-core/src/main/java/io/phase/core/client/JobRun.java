package io.phase.core.client;

import io.phase.core.client.JobFailedException.Kind;
import io.phase.core.exec.JobId;
import io.phase.core.protocol.JobOffer;
import io.phase.core.protocol.JobResponse;
import io.phase.core.protocol.JobResponse.Accepted;
import io.phase.core.protocol.RejectReason;
import io.phase.core.protocol.RunMessage;
import io.phase.core.protocol.netty.OfferRequester;
import io.phase.core.receipt.OutputCommitment;
import io.phase.p2p.errors.Causes;
import io.phase.p2p.host.Connection;
import io.phase.p2p.host.Host;
import io.phase.p2p.multiaddr.Multiaddr;
import io.phase.p2p.peer.PeerId;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives one job on a client thread: find and rank workers, then per attempt dial, offer, submit,
 * follow output (reattaching after a dropped connection), verify; retry elsewhere with backoff on
 * rejection, connection loss, timeout or failed verification. Every wait is bounded.
 */
final class JobRun {
  private static final Logger LOG = LoggerFactory.getLogger(JobRun.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** The attempt in progress. */
  record Current(
      String jobId,
      WorkerCandidate worker,
      String moduleHash,
      long maxOutput,
      OutputCommitment commitment) {}

  private final Host host;
  private final ClientConfig config;
  private final WorkerRanking ranking;
  private final JobListener listener;
  private final Executor serial;
  private final CompletableFuture<JobOutcome> outcome = new CompletableFuture<>();
  private volatile Current current;
  private volatile RunAttempt attempt;
  private volatile boolean cancelled;

  /** The input trees sent; null for a job followed from a saved state (then not checked). */
  private volatile List<PackedInput> inputs;

  /** The output trees asked for; null for a job followed from a saved state (any accepted). */
  private volatile List<String> outputs;

  private final java.util.concurrent.atomic.AtomicLong bytesSent =
      new java.util.concurrent.atomic.AtomicLong();

  JobRun(
      Host host,
      ClientConfig config,
      WorkerRanking ranking,
      JobListener listener,
      Executor serial) {
    this.host = host;
    this.config = config;
    this.ranking = ranking;
    this.listener = listener;
    this.serial = serial;
  }

  CompletableFuture<JobOutcome> outcome() {
    return outcome;
  }

  Optional<Current> current() {
    return Optional.ofNullable(current);
  }

  /**
   * What a restarted process needs to reattach, once the job is on the worker (its inputs all
   * sent): before that there is nothing to reattach to.
   */
  Optional<HandleState> state() {
    Current c = current;
    RunAttempt a = attempt;
    if (c == null || a == null || !a.reattachable()) {
      return Optional.empty();
    }
    return Optional.of(
        new HandleState(
            c.jobId(),
            c.worker().peer(),
            c.worker().addresses(),
            c.moduleHash(),
            c.maxOutput(),
            c.commitment().summary()));
  }

  void cancel() {
    cancelled = true;
    RunAttempt a = attempt;
    if (a != null) {
      a.cancel();
    } else {
      outcome.completeExceptionally(JobFailedException.of(Kind.CANCELLED, null, "cancelled", null));
    }
  }

  /** Runs a new job to its end (on the calling client thread). */
  void submit(
      JobSpec spec, byte[] workspace, List<PackedInput> inputs, List<WorkerCandidate> candidates) {
    this.inputs = List.copyOf(inputs);
    this.outputs = spec.outputs();
    try {
      outcome.complete(dispatch(spec, workspace, candidates));
    } catch (JobFailedException e) {
      outcome.completeExceptionally(e);
    } catch (RuntimeException e) {
      outcome.completeExceptionally(
          JobFailedException.of(Kind.LOCAL, null, Causes.rootMessage(e), e));
    }
  }

  /** Follows an existing job from a saved state (on the calling client thread). */
  void reattach(HandleState state) {
    WorkerCandidate worker = WorkerCandidate.of(state.worker(), state.addresses());
    Current c =
        new Current(
            state.jobId(),
            worker,
            state.moduleHash(),
            state.maxOutputBytes(),
            OutputCommitment.resume(state.delivered()));
    current = c;
    OutputDelivery delivery = new OutputDelivery(listener, 0);
    try {
      outcome.complete(follow(c, delivery, null, Duration.ofDays(1)));
    } catch (JobFailedException e) {
      outcome.completeExceptionally(e);
    }
  }

  /** Module, stdin, workspace and input-tree bytes sent to workers so far, over all attempts. */
  long bytesSent() {
    return bytesSent.get();
  }

  private JobOutcome dispatch(JobSpec spec, byte[] workspace, List<WorkerCandidate> candidates)
      throws JobFailedException {
    if (candidates.isEmpty()) {
      throw JobFailedException.of(
          Kind.NO_WORKERS, null, "no worker offers " + spec.capability(), null);
    }
    List<WorkerCandidate> ranked = ranking.rank(candidates);
    OutputDelivery delivery = new OutputDelivery(listener, config.maxRetainedOutput());
    String moduleHash = spec.moduleHash();
    Duration jobTimeout = Duration.ofMillis(spec.limits().timeoutMs()).plus(config.resultSlack());
    List<WorkerCandidate> untried = new ArrayList<>(ranked);
    Set<PeerId> refused = new HashSet<>();
    JobFailedException last = null;
    for (int n = 1; n <= config.maxAttempts(); n++) {
      if (cancelled) {
        throw JobFailedException.of(Kind.CANCELLED, null, "cancelled", null);
      }
      WorkerCandidate worker = next(untried, candidates, refused);
      String jobId = JobId.random();
      byte[] nonceBytes = new byte[16];
      RANDOM.nextBytes(nonceBytes);
      String nonce = HexFormat.of().formatHex(nonceBytes);
      Current c =
          new Current(
              jobId, worker, moduleHash, spec.limits().maxOutputBytes(), new OutputCommitment());
      current = c;
      listener.onEvent(new JobEvent.Dispatched(worker.peer(), worker.addresses(), jobId, n));
      LOG.info("client_dispatch job={} peer={} attempt={}", jobId, worker.peer(), n);
      ranking.dispatched(worker.peer());
      try {
        JobOutcome done;
        try {
          done = attempt(spec, workspace, c, nonce, delivery, jobTimeout);
        } finally {
          ranking.done(worker.peer());
        }
        ranking.success(worker.peer());
        LOG.info(
            "client_verified job={} peer={} outcome={}",
            jobId,
            worker.peer(),
            done.outcome().wireName());
        listener.onEvent(new JobEvent.Verified(worker.peer(), jobId));
        return done;
      } catch (JobFailedException e) {
        last = e;
        ranking.failure(worker.peer());
        LOG.warn(
            "client_attempt_failed job={} peer={} kind={} reason=\"{}\"",
            jobId,
            worker.peer(),
            e.kind(),
            e.getMessage());
        if (e.kind() == Kind.REJECTED) {
          refused.add(worker.peer());
        }
        if (e.kind() == Kind.CANCELLED
            || cancelled
            || n == config.maxAttempts()
            || !delivery.retryable()
            || !anotherWorkerMightAccept(e)
            || e.kind() == Kind.REJECTED && !hasOther(untried, candidates, refused)) {
          throw e;
        }
        listener.onEvent(new JobEvent.Retry(worker.peer(), e.kind(), e.getMessage(), n + 1));
        delivery.nextAttempt();
        sleep(backoff(n));
      }
    }
    throw last;
  }

  /**
   * The next worker: an untried one, else the best ranked that has not refused the job (one that
   * refused would refuse again; one that failed otherwise may have recovered).
   */
  private WorkerCandidate next(
      List<WorkerCandidate> untried, List<WorkerCandidate> candidates, Set<PeerId> refused) {
    if (!untried.isEmpty()) {
      return untried.remove(0);
    }
    List<WorkerCandidate> left =
        candidates.stream().filter(w -> !refused.contains(w.peer())).toList();
    return ranking.rank(left.isEmpty() ? candidates : left).get(0);
  }

  private static boolean hasOther(
      List<WorkerCandidate> untried, List<WorkerCandidate> candidates, Set<PeerId> refused) {
    return !untried.isEmpty() || candidates.stream().anyMatch(w -> !refused.contains(w.peer()));
  }

  /** False for a refusal every worker would give (a malformed request): retrying is futile. */
  private static boolean anotherWorkerMightAccept(JobFailedException e) {
    return e.rejectReason().map(RejectReason::otherWorkersMightAccept).orElse(true);
  }

  private JobOutcome attempt(
      JobSpec spec,
      byte[] workspace,
      Current c,
      String nonce,
      OutputDelivery delivery,
      Duration jobTimeout)
      throws JobFailedException {
    Connection connection = dial(c.worker());
    long t0 = System.nanoTime();
    JobOffer offer =
        new JobOffer(
            c.jobId(),
            nonce,
            c.moduleHash(),
            new JobOffer.Requirements(
                spec.cpuCores(),
                spec.limits().memoryMb(),
                Math.max(1, (spec.limits().timeoutMs() + 999) / 1000),
                spec.arch(),
                spec.wasmRuntime()));
    JobResponse response =
        await(OfferRequester.request(connection, offer), config.exchangeTimeout(), c);
    ranking.latency(c.worker().peer(), Duration.ofNanos(System.nanoTime() - t0));
    if (response instanceof JobResponse.Rejected r) {
      throw JobFailedException.rejected(c.worker().peer(), r.reason());
    }
    RunMessage.Submit submit =
        new RunMessage.Submit(
            c.jobId(),
            nonce,
            c.moduleHash(),
            spec.module().length,
            spec.args(),
            spec.env(),
            spec.stdin().length,
            workspace.length,
            spec.limits(),
            inputs.stream().map(PackedInput::tree).toList(),
            spec.outputs());
    Accepted accepted = (Accepted) response;
    Optional<Instant> queuedUntil =
        accepted.estimatedStart() > Instant.now().getEpochSecond()
            ? Optional.of(Instant.ofEpochSecond(accepted.estimatedStart()))
            : Optional.empty();
    RunAttempt run =
        RunAttempt.submit(
            connection,
            submit,
            spec.module(),
            spec.stdin(),
            workspace,
            inputs,
            bytesSent,
            serial,
            c.commitment(),
            chunk -> {
              listener.onChunk(chunk);
              delivery.accept(chunk.kind(), chunk.data());
            },
            new UploadProgress(c.worker().peer(), queuedUntil, listener::onProgress));
    return follow(c, delivery, run, jobTimeout);
  }

  /** Waits for {@code run} (or attaches, if null), reattaching after dropped connections. */
  private JobOutcome follow(Current c, OutputDelivery delivery, RunAttempt run, Duration jobTimeout)
      throws JobFailedException {
    long deadline = System.nanoTime() + jobTimeout.toNanos();
    int reattaches = 0;
    while (true) {
      if (run == null) {
        Connection connection = dial(c.worker());
        long from = c.commitment().chunkCount();
        run =
            RunAttempt.attach(
                connection,
                c.jobId(),
                c.moduleHash(),
                c.maxOutput(),
                inputs,
                outputs,
                serial,
                c.commitment(),
                chunk -> {
                  listener.onChunk(chunk);
                  delivery.accept(chunk.kind(), chunk.data());
                });
        listener.onEvent(new JobEvent.Reattached(c.worker().peer(), c.jobId(), from));
        LOG.info("client_reattach job={} peer={} from_seq={}", c.jobId(), c.worker().peer(), from);
      }
      attempt = run;
      if (cancelled) {
        run.cancel();
      }
      try {
        long left = Math.max(1, deadline - System.nanoTime());
        return await(run.result(), Duration.ofNanos(left), c);
      } catch (JobFailedException e) {
        boolean canFollow =
            run.reattachable() || e.kind() == Kind.CONNECTION_LOST && reattaches > 0;
        if (e.kind() != Kind.CONNECTION_LOST
            || !canFollow
            || reattaches >= config.reattachAttempts()
            || cancelled) {
          throw e;
        }
        reattaches++;
        sleep(backoff(reattaches));
        run = null;
      } finally {
        attempt = null;
      }
    }
  }

  private Connection dial(WorkerCandidate worker) throws JobFailedException {
    JobFailedException last = null;
    for (Multiaddr address : worker.addresses()) {
      Multiaddr full = address.peerId().isPresent() ? address : address.withP2p(worker.peer());
      try {
        return host.dial(full).get(config.exchangeTimeout().toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException | TimeoutException | IllegalArgumentException e) {
        last =
            JobFailedException.of(
                Kind.CONNECTION_LOST,
                worker.peer(),
                "cannot dial " + full + ": " + Causes.rootMessage(e),
                e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw JobFailedException.of(Kind.CANCELLED, worker.peer(), "interrupted", e);
      }
    }
    throw last;
  }

  private static <T> T await(CompletableFuture<T> future, Duration timeout, Current c)
      throws JobFailedException {
    try {
      return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof JobFailedException j) {
        throw j;
      }
      if (cause instanceof TimeoutException) {
        throw JobFailedException.of(Kind.TIMEOUT, c.worker().peer(), "no answer in time", cause);
      }
      if (cause instanceof IllegalArgumentException p) {
        throw JobFailedException.of(Kind.PROTOCOL, c.worker().peer(), p.getMessage(), p);
      }
      throw JobFailedException.of(
          Kind.CONNECTION_LOST, c.worker().peer(), Causes.rootMessage(cause), cause);
    } catch (TimeoutException e) {
      future.cancel(false);
      throw JobFailedException.of(
          Kind.TIMEOUT, c.worker().peer(), "no result within " + timeout, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw JobFailedException.of(Kind.CANCELLED, c.worker().peer(), "interrupted", e);
    }
  }

  private Duration backoff(int n) {
    long ms = config.backoff().toMillis() << Math.min(n - 1, 16);
    return Duration.ofMillis(Math.min(ms, config.maxBackoff().toMillis()));
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
