package io.phase.jenkins;

import io.phase.core.step.RemoteStep;
import io.phase.core.step.StepNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The controller's one embedded Phase node ({@link StepNode}), free of Jenkins types: {@link
 * #configure} starts it from the Phase cloud's settings, restarts it when they change (running
 * steps are detached from the old node and resumed on the new one through their {@link Follower})
 * and stops it when the cloud is removed (running steps are cancelled first). {@link #stop}
 * detaches every step for a Jenkins restart. All of this runs on the service's own thread; callers
 * get a future. It also keeps the peers dashboard's snapshot fresh in the background.
 */
public final class PhaseNodeService {
  /** A step the service resumes on a new node, or ends when no node is left. */
  public interface Follower {
    /** Follows the step again on {@code node} (its old node was closed and detached it). */
    void reattach(StepNode node);

    /** Cancels the step's job (the cloud is being removed). */
    void cancelForRemoval();

    /** Ends the step: no node will resume it. */
    void nodeGone(String reason);
  }

  /** How often the peers snapshot is refreshed. */
  static final Duration REFRESH_EVERY = Duration.ofSeconds(30);

  /** How long cancelled steps get to end before a removed cloud's node closes. */
  static final Duration CANCEL_GRACE = Duration.ofSeconds(10);

  private static final PhaseNodeService INSTANCE = new PhaseNodeService("phase-jenkins");

  private final String agentVersion;
  private final ExecutorService control =
      Executors.newSingleThreadExecutor(PhaseExecutors.threads("phase-node"));
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final Set<Follower> followers = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean refreshing = new AtomicBoolean();
  private final CompletableFuture<Void> firstConfigure = new CompletableFuture<>();

  // Written under the write lock (on the control thread), read anywhere.
  private volatile StepNode node;
  private volatile Optional<PhaseSettings> settings = Optional.empty();
  private volatile Path keyFile;
  private volatile String problem = "the Phase node has not started yet";
  private volatile boolean stopped;
  private volatile PeersSnapshot snapshot = PeersSnapshot.none(Instant.now(), problem);
  private volatile CompletableFuture<Void> pending = firstConfigure;
  private ScheduledFuture<?> refresher;

  PhaseNodeService(String agentVersion) {
    this.agentVersion = agentVersion;
  }

  /** The controller's service. */
  public static PhaseNodeService get() {
    return INSTANCE;
  }

  /**
   * Applies the cloud's settings (empty: no Phase cloud) on the service's thread: starts, restarts
   * or stops the node as needed. Only step defaults changed: the node stays.
   */
  public synchronized CompletableFuture<Void> configure(
      Path keyFile, Optional<PhaseSettings> wanted) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    control.execute(
        () -> {
          try {
            apply(keyFile, wanted);
          } catch (RuntimeException e) {
            problem = "the Phase node failed: " + PhaseSettings.oneLine(e);
            EventLog.warn("phase_node.configure_failed", "error", problem);
          } finally {
            done.complete(null);
            firstConfigure.complete(null);
          }
        });
    pending = done;
    return done;
  }

  private void apply(Path key, Optional<PhaseSettings> wanted) {
    if (stopped) {
      return;
    }
    Optional<PhaseSettings> current = settings;
    boolean sameNode =
        node != null
            && key.equals(keyFile)
            && wanted.isPresent()
            && current.isPresent()
            && !wanted.get().nodeDiffers(current.get());
    if (sameNode || (node == null && wanted.isEmpty() && current.isEmpty())) {
      settings = wanted;
      if (wanted.isEmpty()) {
        problem = "no Phase cloud is configured";
      }
      return;
    }
    if (wanted.isEmpty()) {
      cancelFollowers();
    }
    StepNode started = null;
    lock.writeLock().lock();
    try {
      StepNode old = node;
      node = null;
      if (old != null) {
        old.close();
        EventLog.info("phase_node.stopped", "peer", old.peerId(), "reason", "reconfigured");
      }
      settings = wanted;
      keyFile = key;
      if (wanted.isEmpty()) {
        problem = "no Phase cloud is configured";
      } else {
        try {
          started = StepNode.start(wanted.get().nodeConfig(key, agentVersion));
          node = started;
          problem = "";
          EventLog.info(
              "phase_node.started",
              "peer",
              started.peerId(),
              "addresses",
              started.addresses().size(),
              "bootstrap",
              wanted.get().bootstrap().size());
        } catch (IOException | RuntimeException e) {
          problem = "the Phase node could not start: " + PhaseSettings.oneLine(e);
          EventLog.warn("phase_node.start_failed", "error", problem);
        }
      }
    } finally {
      lock.writeLock().unlock();
    }
    List<Follower> all = new ArrayList<>(followers);
    for (Follower f : all) {
      if (started != null) {
        f.reattach(started);
      } else {
        followers.remove(f);
        f.nodeGone(wanted.isEmpty() ? "the Phase cloud was removed while the step ran" : problem);
      }
    }
    scheduleRefresh();
  }

  private void cancelFollowers() {
    List<Follower> all = new ArrayList<>(followers);
    for (Follower f : all) {
      f.cancelForRemoval();
    }
    long deadline = System.nanoTime() + CANCEL_GRACE.toNanos();
    while (!followers.isEmpty() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** The settings in force (the cloud's step defaults), if a Phase cloud is configured. */
  public Optional<PhaseSettings> settings() {
    return settings;
  }

  /** Why there is no node, or empty. */
  public String problem() {
    return problem;
  }

  /** A step dispatched or resumed on the node, and the node it runs on. */
  public interface NodeAction {
    RemoteStep apply(StepNode node) throws IOException;
  }

  /**
   * Runs {@code action} with the node, registering {@code follower} for restarts before the node
   * can be swapped; waits at most {@code wait} for a pending (re)configuration.
   *
   * @throws IOException with one line if there is no node after the wait
   */
  public RemoteStep withNode(Duration wait, Follower follower, NodeAction action)
      throws IOException, InterruptedException {
    try {
      pending.get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new IOException("the Phase node did not start within " + wait.toSeconds() + " s");
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IOException("the Phase node failed: " + e.getCause());
    }
    lock.readLock().lock();
    try {
      StepNode current = node;
      if (current == null) {
        throw new IOException(problem.isEmpty() ? "the Phase node is not running" : problem);
      }
      followers.add(follower);
      try {
        return action.apply(current);
      } catch (IOException | RuntimeException e) {
        followers.remove(follower);
        throw e;
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Forgets a step that ended. */
  public void unregister(Follower follower) {
    followers.remove(follower);
  }

  /** Steps being followed. */
  int followers() {
    return followers.size();
  }

  /**
   * Closes the node for a Jenkins shutdown: running steps are detached (their jobs go on) and
   * resumed by Pipeline after the restart. Waits at most {@code wait}.
   */
  public void stop(Duration wait) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    control.execute(
        () -> {
          stopped = true;
          lock.writeLock().lock();
          try {
            StepNode old = node;
            node = null;
            problem = "Jenkins is shutting down";
            if (old != null) {
              int steps = old.runningSteps();
              old.close();
              EventLog.info("phase_node.stopped", "peer", old.peerId(), "detached_steps", steps);
            }
          } finally {
            lock.writeLock().unlock();
            followers.clear();
            done.complete(null);
          }
        });
    try {
      done.get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      EventLog.warn("phase_node.stop_incomplete", "error", e);
    }
    control.shutdown();
  }

  // The dashboard's snapshot.

  /** The latest peers snapshot (never waits). */
  public PeersSnapshot snapshot() {
    return snapshot;
  }

  /** Asks for a fresh snapshot in the background. */
  public void requestRefresh() {
    PhaseExecutors.timer().execute(this::refresh);
  }

  private synchronized void scheduleRefresh() {
    if (refresher == null) {
      refresher =
          PhaseExecutors.timer()
              .scheduleWithFixedDelay(
                  this::refresh, 0, REFRESH_EVERY.toSeconds(), TimeUnit.SECONDS);
    } else {
      requestRefresh();
    }
  }

  private void refresh() {
    StepNode current = node;
    if (current == null) {
      snapshot = PeersSnapshot.none(Instant.now(), problem);
      return;
    }
    if (!refreshing.compareAndSet(false, true)) {
      return;
    }
    Duration timeout = current.config().discoveryTimeout();
    try {
      current
          .workers(timeout)
          .orTimeout(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS)
          .whenComplete(
              (found, error) -> {
                try {
                  List<PeersSnapshot.Worker> rows =
                      found == null
                          ? List.of()
                          : found.stream()
                              .limit(PeersSnapshot.MAX_WORKERS)
                              .map(PeersSnapshot.Worker::of)
                              .toList();
                  snapshot =
                      new PeersSnapshot(
                          Instant.now(),
                          current.peerId().toBase58(),
                          current.addresses().stream().map(Object::toString).toList(),
                          current.joined(),
                          current.runningSteps(),
                          rows,
                          error == null ? "" : "worker search failed: " + error);
                } finally {
                  refreshing.set(false);
                }
              });
    } catch (RuntimeException e) {
      refreshing.set(false);
      snapshot = PeersSnapshot.none(Instant.now(), "worker search failed: " + e);
    }
  }
}
