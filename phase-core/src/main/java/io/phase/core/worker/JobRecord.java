package io.phase.core.worker;

import io.phase.core.exec.LocalJob;
import io.phase.core.protocol.RunMessage.ErrorCode;
import io.phase.core.receipt.OutputChunk;
import io.phase.core.receipt.SignedReceipt;
import io.phase.core.sandbox.OutputRefused;
import io.phase.p2p.peer.PeerId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One admitted job on this worker: its output, retained in a bounded replay buffer, the stream
 * following it (at most one at a time), and how it ended. The guest thread appends output; a
 * follower stream reads it by sequence number. While the follower has more than the high-water mark
 * of unsent output, or the buffer is full of output no stream has sent, the guest waits (until the
 * job's own timeout): output is never dropped before some stream has sent it. Thread-safe.
 */
final class JobRecord {
  private static final Logger LOG = LoggerFactory.getLogger(JobRecord.class);

  /** A stream following the job's output. */
  interface Follower {
    /** New output or the job's end is available. */
    void wake();

    /** The follower could not keep up and is dropped. */
    void drop(String reason);
  }

  /** How a job ended: with a signed receipt, or with an error and no receipt. */
  sealed interface Terminal {}

  /**
   * A signed receipt, and the output trees' archives back to back (empty when none were asked for),
   * kept with the finished job so a reattaching client gets them too.
   */
  record Receipt(SignedReceipt receipt, byte[] outputTrees) implements Terminal {
    Receipt(SignedReceipt receipt) {
      this(receipt, new byte[0]);
    }
  }

  record Failure(ErrorCode code, String message) implements Terminal {}

  /** Marks a sequence number whose chunk the buffer no longer holds. */
  static final OutputChunk EVICTED = new OutputChunk(-1, null, new byte[0]);

  final String jobId;
  final PeerId submitter;
  private final String moduleHash;
  private final long startedAtMillis;
  private final long maxBuffered;
  private final long highWater;
  private final long inFlight;
  private long sentBuffered;
  private final Admission.Ticket ticket;

  private final List<OutputChunk> chunks = new ArrayList<>();
  private int head;
  private long firstSeq;
  private long nextSeq;
  private long buffered;
  private long peakBuffered;
  private long sentSeq;
  private Terminal terminal;
  private long finishedAtMillis;
  private Follower follower;
  private long followerPending;
  private LocalJob local;
  private boolean cancelRequested;
  private boolean refusedWhileStopping;
  private boolean waitingForRoom;
  private long followEpoch;

  JobRecord(
      String jobId, PeerId submitter, Admission.Ticket ticket, long maxBuffered, long highWater) {
    this(jobId, submitter, "", 0, ticket, maxBuffered, highWater, 0);
  }

  /**
   * @param inFlight the most recently sent output always kept (within {@code maxBuffered}, at most
   *     half of it): output written to a stream is not received yet while it is within the
   *     receiver's window, so a connection that dies (a client stopped past the keep-alive) loses
   *     up to a window of it, which the reattach asks for again. Without a follower the guest then
   *     waits instead of evicting it.
   */
  JobRecord(
      String jobId,
      PeerId submitter,
      String moduleHash,
      long startedAtMillis,
      Admission.Ticket ticket,
      long maxBuffered,
      long highWater,
      long inFlight) {
    this.jobId = jobId;
    this.submitter = submitter;
    this.moduleHash = moduleHash;
    this.startedAtMillis = startedAtMillis;
    this.ticket = ticket;
    this.maxBuffered = maxBuffered;
    this.highWater = highWater;
    if (inFlight < 0 || inFlight > maxBuffered / 2) {
      throw new IllegalArgumentException("inFlight must be 0..maxBuffered/2");
    }
    this.inFlight = inFlight;
  }

  /** The sandbox run started; cancels it at once if cancel came first. */
  void started(LocalJob job) {
    boolean cancelNow;
    synchronized (this) {
      local = job;
      cancelNow = cancelRequested;
    }
    if (cancelNow) {
      job.cancel();
    }
  }

  /** Whether {@link #cancel} was called. */
  synchronized boolean cancelRequested() {
    return cancelRequested;
  }

  /** Stops the job (it then ends with a cancelled receipt). */
  void cancel() {
    LocalJob job;
    synchronized (this) {
      cancelRequested = true;
      job = local;
    }
    if (job != null) {
      job.cancel();
    }
  }

  /**
   * Output from the guest thread, in sequence order. Waits while the follower has more than the
   * high-water mark unsent, and while the replay buffer is full of output no stream has sent yet
   * (with or without a follower). The wait has no deadline of its own: it ends when a stream takes
   * output, or when the guest is interrupted by the job's timeout or a cancel (the detach grace
   * cancels a job nobody follows). So the buffer never drops unsent output, and holds at most
   * {@code maxBuffered} plus one chunk. A guest being stopped (its thread interrupted) no longer
   * waits, so past the bound its chunks are refused ({@link OutputRefused}: not committed, the run
   * ends) instead of piling up: the bound holds then too.
   */
  void onOutput(OutputChunk chunk) {
    Follower wake;
    synchronized (this) {
      if (chunk.seq() != nextSeq) {
        throw new IllegalStateException("output seq " + chunk.seq() + ", expected " + nextSeq);
      }
      evictSent();
      if (buffered + chunk.data().length > maxBuffered && Thread.currentThread().isInterrupted()) {
        if (!refusedWhileStopping) {
          refusedWhileStopping = true;
          LOG.debug("job_output_refused job={} buffered={} reason=stopping", jobId, buffered);
        }
        throw new OutputRefused("the job is being stopped and its replay buffer is full");
      }
      chunks.add(new OutputChunk(chunk.seq(), chunk.kind(), chunk.data().clone()));
      nextSeq++;
      buffered += chunk.data().length;
      peakBuffered = Math.max(peakBuffered, buffered);
      evictSent();
      wake = follower;
      if (wake != null) {
        followerPending += chunk.data().length;
      }
    }
    if (wake != null) {
      wake.wake();
    }
    awaitRoom();
  }

  /**
   * Drops the oldest chunks that some stream has sent while the buffer is over its bound, but keeps
   * the last {@code inFlight} bytes sent (the guest waits instead).
   */
  private void evictSent() {
    while (buffered > maxBuffered
        && firstSeq < sentSeq
        && nextSeq - firstSeq > 1
        && sentBuffered - chunks.get(head).data().length >= inFlight) {
      int length = chunks.get(head).data().length;
      buffered -= length;
      sentBuffered -= length;
      chunks.set(head++, null);
      firstSeq++;
    }
    if (head > 1024 && head > chunks.size() / 2) {
      chunks.subList(0, head).clear();
      head = 0;
    }
  }

  private synchronized void awaitRoom() {
    boolean logged = false;
    while (true) {
      evictSent();
      boolean full = buffered > maxBuffered;
      boolean behind = follower != null && followerPending > highWater;
      if (!full && !behind) {
        waitingForRoom = false;
        return;
      }
      waitingForRoom = true;
      if (!logged) {
        logged = true;
        LOG.debug(
            "job_output_paused job={} buffered={} follower={} pending={}",
            jobId,
            buffered,
            follower != null,
            followerPending);
      }
      try {
        wait(1000);
      } catch (InterruptedException e) {
        // the guest is being stopped (cancel or deadline): keep the flag for the sandbox
        waitingForRoom = false;
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Output bytes this job's replay buffer holds now. */
  synchronized long bufferedBytes() {
    return buffered;
  }

  /**
   * Bytes this job holds for a reattach: its replay buffer, and once it has finished, its output
   * trees' archives. Finished jobs count them against the worker's replay budget.
   */
  synchronized long retainedBytes() {
    return buffered + (terminal instanceof Receipt r ? r.outputTrees().length : 0);
  }

  /** The most output bytes this job's replay buffer has held at once. */
  synchronized long peakBufferedBytes() {
    return peakBuffered;
  }

  /** The chunk with {@code seq}, null if not produced yet, {@link #EVICTED} if dropped. */
  synchronized OutputChunk chunkAt(long seq) {
    if (seq < firstSeq) {
      return EVICTED;
    }
    if (seq >= nextSeq) {
      return null;
    }
    return chunks.get(head + (int) (seq - firstSeq));
  }

  /** {@code f} sent {@code bytes} more; every chunk before {@code nextUnsent} has been sent. */
  synchronized void sent(Follower f, long nextUnsent, int bytes) {
    if (nextUnsent > sentSeq) {
      for (long seq = Math.max(sentSeq, firstSeq); seq < nextUnsent && seq < nextSeq; seq++) {
        sentBuffered += chunks.get(head + (int) (seq - firstSeq)).data().length;
      }
      sentSeq = nextUnsent;
    }
    if (follower == f) {
      followerPending -= bytes;
    }
    notifyAll();
  }

  /** What {@link #follow} answers. */
  enum FollowResult {
    OK,
    REPLAY_UNAVAILABLE,
    BEYOND_OUTPUT
  }

  /**
   * Makes {@code f} the follower from {@code fromSeq}; the previous follower (if any) is dropped.
   */
  FollowResult follow(Follower f, long fromSeq) {
    Follower previous;
    synchronized (this) {
      if (fromSeq < firstSeq) {
        return FollowResult.REPLAY_UNAVAILABLE;
      }
      if (fromSeq > nextSeq) {
        return FollowResult.BEYOND_OUTPUT;
      }
      previous = follower;
      follower = f;
      followEpoch++;
      followerPending = 0;
      for (long s = fromSeq; s < nextSeq; s++) {
        followerPending += chunks.get(head + (int) (s - firstSeq)).data().length;
      }
      notifyAll();
    }
    if (previous != null && previous != f) {
      previous.drop("another stream attached to the job");
    }
    return FollowResult.OK;
  }

  /**
   * {@code f} stopped following.
   *
   * @return true if the job is still running with no follower (a grace period starts)
   */
  synchronized boolean unfollow(Follower f) {
    if (follower != f) {
      return false;
    }
    follower = null;
    followerPending = 0;
    notifyAll();
    return terminal == null;
  }

  /**
   * True while the guest is paused for room (its output waits for a stream to take it): such a job
   * costs no CPU, and the wait ends at the job's own timeout at the latest.
   */
  synchronized boolean outputPaused() {
    return waitingForRoom && terminal == null;
  }

  /** Counts {@link #follow} calls: a detach grace started under one epoch ends with it. */
  synchronized long followEpoch() {
    return followEpoch;
  }

  /** True while running without a follower. */
  synchronized boolean orphaned() {
    return terminal == null && follower == null;
  }

  /**
   * Records the end and frees the admission slot.
   *
   * @return false if the job had already ended (nothing changed)
   */
  boolean finish(Terminal end, long nowMillis) {
    Follower wake;
    synchronized (this) {
      if (terminal != null) {
        return false;
      }
      terminal = end;
      finishedAtMillis = nowMillis;
      wake = follower;
      notifyAll();
    }
    ticket.close();
    if (wake != null) {
      wake.wake();
    }
    return true;
  }

  /** What an operator sees of this job now. */
  synchronized JobSummary summary() {
    Optional<String> outcome = Optional.empty();
    Optional<SignedReceipt> receipt = Optional.empty();
    if (terminal instanceof Receipt r) {
      receipt = Optional.of(r.receipt());
      outcome = Optional.of(r.receipt().result().outcome().wireName());
    } else if (terminal instanceof Failure f) {
      outcome = Optional.of(f.code().wireName());
    }
    return new JobSummary(
        jobId,
        submitter,
        moduleHash,
        ticket.limits().memoryMb(),
        Instant.ofEpochMilli(startedAtMillis),
        terminal == null ? Optional.empty() : Optional.of(Instant.ofEpochMilli(finishedAtMillis)),
        outcome,
        receipt);
  }

  synchronized Terminal terminal() {
    return terminal;
  }

  synchronized long finishedAtMillis() {
    return finishedAtMillis;
  }

  synchronized long nextSeq() {
    return nextSeq;
  }
}
