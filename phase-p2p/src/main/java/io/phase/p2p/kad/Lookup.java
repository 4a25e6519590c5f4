package io.phase.p2p.kad;

import io.phase.p2p.errors.Causes;
import io.phase.p2p.kad.routing.KadKey;
import io.phase.p2p.kad.routing.PeerInfo;
import io.phase.p2p.kad.wire.KadMessage;
import io.phase.p2p.peer.PeerId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One iterative Kademlia lookup (libp2p kad-dht "peer routing" algorithm): keep the peers seen
 * ordered by distance to the target, keep at most {@code alpha} requests in flight to the closest
 * unqueried ones among the {@code k} closest non-failed, add the closer peers each answer reveals,
 * and stop when the {@code k} closest seen have all answered, when nothing is left to ask, when the
 * {@link Collector} is satisfied, or at the deadline. Each request has its own timeout. At most
 * {@code maxLookupPeers} peers are tracked. Thread-safe; requests are sent outside the lock.
 */
public final class Lookup {

  /** Inspects each successful response; returning {@code true} ends the lookup (SATISFIED). */
  @FunctionalInterface
  public interface Collector {
    /** Called under the lookup's lock, one response at a time. */
    boolean onResponse(PeerInfo from, KadMessage response, int hop);
  }

  /** Feedback for the routing table. */
  public interface Listener {
    /** {@code peer} answered a request. */
    void answered(PeerInfo peer);

    /** A request to {@code peer} failed or timed out. */
    void failed(PeerId peer);
  }

  private static final Logger LOG = LoggerFactory.getLogger(Lookup.class);

  private enum State {
    NOT_QUERIED,
    WAITING,
    SUCCEEDED,
    FAILED
  }

  private static final class Candidate {
    final PeerInfo info;
    final KadKey key;
    final int hop;
    State state = State.NOT_QUERIED;

    Candidate(PeerInfo info, int hop) {
      this.info = info;
      this.key = info.kadKey();
      this.hop = hop;
    }
  }

  private final PeerId local;
  private final KadKey target;
  private final KadMessage request;
  private final KadNetwork network;
  private final KadConfig config;
  private final Collector collector;
  private final Listener listener;
  private final Map<PeerId, Candidate> tracked = new HashMap<>();
  private final TreeSet<Candidate> byDistance;
  private final CompletableFuture<LookupResult> result = new CompletableFuture<>();
  private int inFlight;
  private int queried;
  private int failed;
  private boolean done;

  /**
   * Prepares a lookup; nothing is sent before {@link #start}.
   *
   * @param local the local peer, never queried
   * @param target the keyspace point looked up
   * @param request the message sent to every peer
   * @param seeds first peers to ask (hop 1), typically the routing table's closest
   */
  public Lookup(
      PeerId local,
      KadKey target,
      KadMessage request,
      List<PeerInfo> seeds,
      KadNetwork network,
      KadConfig config,
      Collector collector,
      Listener listener) {
    this.local = Objects.requireNonNull(local, "local");
    this.target = Objects.requireNonNull(target, "target");
    this.request = Objects.requireNonNull(request, "request");
    this.network = Objects.requireNonNull(network, "network");
    this.config = Objects.requireNonNull(config, "config");
    this.collector = Objects.requireNonNull(collector, "collector");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.byDistance = new TreeSet<>((a, b) -> KadKey.compareDistance(target, a.key, b.key));
    for (PeerInfo seed : seeds) {
      track(seed, 1);
    }
  }

  /** Starts the lookup; the future completes (never exceptionally) when it stops. */
  public CompletableFuture<LookupResult> start() {
    CompletableFuture.delayedExecutor(config.lookupDeadline().toMillis(), TimeUnit.MILLISECONDS)
        .execute(this::deadline);
    step();
    return result;
  }

  private void deadline() {
    LookupResult r;
    synchronized (this) {
      if (done) {
        return;
      }
      r = finish(LookupResult.Termination.DEADLINE, -1);
    }
    complete(r);
  }

  /** Adds a peer unless known, local, or beyond the tracking bound. Caller holds the lock. */
  private void track(PeerInfo peer, int hop) {
    if (peer.id().equals(local) || tracked.containsKey(peer.id())) {
      return;
    }
    Candidate c = new Candidate(peer, hop);
    if (tracked.size() >= config.maxLookupPeers()) {
      Candidate evict = null;
      for (Iterator<Candidate> it = byDistance.descendingIterator(); it.hasNext(); ) {
        Candidate far = it.next();
        if (far.state == State.NOT_QUERIED) {
          evict = far;
          break;
        }
      }
      if (evict == null || KadKey.compareDistance(target, c.key, evict.key) >= 0) {
        return;
      }
      byDistance.remove(evict);
      tracked.remove(evict.info.id());
    }
    tracked.put(peer.id(), c);
    byDistance.add(c);
  }

  private void step() {
    List<Candidate> toQuery = new ArrayList<>();
    LookupResult finished = null;
    synchronized (this) {
      if (done) {
        return;
      }
      int seen = 0;
      boolean allAnswered = true;
      for (Candidate c : byDistance) {
        if (c.state == State.FAILED) {
          continue;
        }
        seen++;
        if (c.state != State.SUCCEEDED) {
          allAnswered = false;
        }
        if (c.state == State.NOT_QUERIED && inFlight + toQuery.size() < config.alpha()) {
          toQuery.add(c);
        }
        if (seen == config.k()) {
          break;
        }
      }
      if (seen == 0 && inFlight == 0) {
        finished = finish(LookupResult.Termination.EXHAUSTED, -1);
      } else if (seen > 0 && allAnswered) {
        finished =
            finish(
                seen >= config.k()
                    ? LookupResult.Termination.CONVERGED
                    : LookupResult.Termination.EXHAUSTED,
                -1);
      } else {
        for (Candidate c : toQuery) {
          c.state = State.WAITING;
        }
        inFlight += toQuery.size();
        queried += toQuery.size();
      }
    }
    if (finished != null) {
      complete(finished);
      return;
    }
    for (Candidate c : toQuery) {
      send(c);
    }
  }

  private void send(Candidate c) {
    CompletableFuture<KadMessage> reply;
    try {
      reply =
          network
              .request(c.info, request, config.queryTimeout())
              .orTimeout(config.queryTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      reply = CompletableFuture.failedFuture(e);
    }
    reply.whenComplete((response, error) -> onReply(c, response, error));
  }

  private void onReply(Candidate c, KadMessage response, Throwable error) {
    boolean ok = error == null && response != null && response.type() == request.type();
    LookupResult finished = null;
    synchronized (this) {
      inFlight--;
      if (!ok) {
        c.state = State.FAILED;
        failed++;
      } else {
        c.state = State.SUCCEEDED;
      }
      if (ok && !done) {
        for (PeerInfo closer : response.closerPeers()) {
          track(closer, c.hop + 1);
        }
        boolean satisfied;
        try {
          satisfied = collector.onResponse(c.info, response, c.hop);
        } catch (RuntimeException e) {
          LOG.warn(
              "kad_lookup_collector_error peer={} error={}", c.info.id(), Causes.rootMessage(e));
          satisfied = false;
        }
        if (satisfied) {
          finished = finish(LookupResult.Termination.SATISFIED, c.hop);
        }
      }
    }
    if (ok) {
      listener.answered(c.info);
    } else {
      LOG.debug(
          "kad_lookup_query_failed peer={} error={}",
          c.info.id(),
          error == null ? "unexpected response" : error.toString());
      listener.failed(c.info.id());
    }
    if (finished != null) {
      complete(finished);
    } else {
      step();
    }
  }

  /** Marks the lookup done and builds its result. Caller holds the lock. */
  private LookupResult finish(LookupResult.Termination why, int satisfiedHop) {
    done = true;
    List<PeerInfo> closest = new ArrayList<>();
    int maxHop = 0;
    for (Candidate c : byDistance) {
      if (closest.size() >= config.k()) {
        break;
      }
      if (c.state == State.SUCCEEDED) {
        closest.add(c.info);
        maxHop = Math.max(maxHop, c.hop);
      }
    }
    int hops = satisfiedHop >= 0 ? satisfiedHop : maxHop;
    return new LookupResult(closest, hops, queried, failed, why);
  }

  private void complete(LookupResult r) {
    LOG.debug(
        "kad_lookup_done type={} termination={} hops={} queried={} failed={} closest={}",
        request.type(),
        r.termination(),
        r.hops(),
        r.queried(),
        r.failed(),
        r.closest().size());
    result.complete(r);
  }
}
