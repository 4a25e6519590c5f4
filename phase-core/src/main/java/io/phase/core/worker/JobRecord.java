package io.phase.core.worker;

import io.phase.core.exec.LocalJob;
import io.phase.core.protocol.RunMessage.ErrorCode;
import io.phase.core.receipt.OutputChunk;
import io.phase.core.receipt.SignedReceipt;
import io.phase.p2p.peer.PeerId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One admitted job on this worker: its output, retained in a bounded replay buffer, the stream
 * following it (at most one at a time), and how it ended. The guest thread appends output; a
 * follower stream reads it by sequence number. While the follower has more than the high-water mark
 * of unsent output, the guest waits (at most the stall timeout, then the follower is dropped and
 * the client may reattach). Thread-safe.
 */
final class JobRecord {

  /** A stream following the job's output. */
  interface Follower {
    /** New output or the job's end is available. */
    void wake();

    /** The follower could not keep up and is dropped. */
    void drop(String reason);
  }

  /** How a job ended: with a signed receipt, or with an error and no receipt. */
  sealed interface Terminal {}

  record Receipt(SignedReceipt receipt) implements Terminal {}

  record Failure(ErrorCode code, String message) implements Terminal {}

  /** Marks a sequence number whose chunk the buffer no longer holds. */
  static final OutputChunk EVICTED = new OutputChunk(-1, null, new byte[0]);

  final String jobId;
  final PeerId submitter;
  private final long maxBuffered;
  private final long highWater;
  private final Duration stall;
  private final Admission.Ticket ticket;

  private final List<OutputChunk> chunks = new ArrayList<>();
  private int head;
  private long firstSeq;
  private long nextSeq;
  private long buffered;
  private Terminal terminal;
  private long finishedAtMillis;
  private Follower follower;
  private long followerPending;
  private LocalJob local;
  private boolean cancelRequested;

  JobRecord(
      String jobId,
      PeerId submitter,
      Admission.Ticket ticket,
      long maxBuffered,
      long highWater,
      Duration stall) {
    this.jobId = jobId;
    this.submitter = submitter;
    this.ticket = ticket;
    this.maxBuffered = maxBuffered;
    this.highWater = highWater;
    this.stall = stall;
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

  /** Output from the guest thread, in sequence order. May wait for a slow follower (bounded). */
  void onOutput(OutputChunk chunk) {
    Follower wake;
    synchronized (this) {
      if (chunk.seq() != nextSeq) {
        throw new IllegalStateException("output seq " + chunk.seq() + ", expected " + nextSeq);
      }
      chunks.add(new OutputChunk(chunk.seq(), chunk.kind(), chunk.data().clone()));
      nextSeq++;
      buffered += chunk.data().length;
      while (buffered > maxBuffered && nextSeq - firstSeq > 1) {
        buffered -= chunks.get(head).data().length;
        chunks.set(head++, null);
        firstSeq++;
      }
      if (head > 1024 && head > chunks.size() / 2) {
        chunks.subList(0, head).clear();
        head = 0;
      }
      wake = follower;
      if (wake != null) {
        followerPending += chunk.data().length;
      }
    }
    if (wake != null) {
      wake.wake();
      awaitFollower(wake);
    }
  }

  private void awaitFollower(Follower f) {
    Follower stalled = null;
    synchronized (this) {
      long deadline = System.nanoTime() + stall.toNanos();
      while (follower == f && followerPending > highWater) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          stalled = f;
          follower = null;
          followerPending = 0;
          break;
        }
        try {
          wait(Math.max(1, remaining / 1_000_000));
        } catch (InterruptedException e) {
          // the guest is being stopped (cancel or deadline): keep the flag for the sandbox
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
    if (stalled != null) {
      stalled.drop("the stream took no output for " + stall.toSeconds() + " s");
    }
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

  /** The follower sent {@code bytes} more. */
  synchronized void sent(Follower f, int bytes) {
    if (follower == f) {
      followerPending -= bytes;
      if (followerPending <= highWater) {
        notifyAll();
      }
    }
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

  /** True while running without a follower. */
  synchronized boolean orphaned() {
    return terminal == null && follower == null;
  }

  /** Records the end and frees the admission slot. */
  void finish(Terminal end, long nowMillis) {
    Follower wake;
    synchronized (this) {
      if (terminal != null) {
        return;
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
