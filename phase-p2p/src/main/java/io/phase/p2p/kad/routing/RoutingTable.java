package io.phase.p2p.kad.routing;

import io.phase.p2p.multiaddr.Multiaddr;
import io.phase.p2p.peer.PeerId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kademlia routing table: 256 buckets indexed by common-prefix length with the local key, each
 * holding at most {@code k} peers ordered by last contact, plus a small replacement cache.
 *
 * <p>Only peers that answered us on the DHT protocol should be reported through {@link
 * #peerAnswered}. Long-lived peers are preferred: when a bucket is full, its least recently seen
 * member is checked through the {@link LivenessCheck} (bounded by {@code livenessTimeout}); it is
 * evicted in favour of the newest replacement only if the check fails, otherwise the newcomer waits
 * in the replacement cache. At most one check runs per bucket. Peers without a dialable address are
 * not admitted. Thread-safe; liveness checks are started outside the table's lock.
 */
public final class RoutingTable {

  /**
   * The bounds a routing table keeps.
   *
   * @param k bucket size
   * @param replacementCacheSize newcomers kept per full bucket
   * @param livenessTimeout how long a liveness check may take
   * @param maxAddrsPerPeer addresses kept per peer
   * @param dialable which addresses are worth keeping
   */
  public record Limits(
      int k,
      int replacementCacheSize,
      Duration livenessTimeout,
      int maxAddrsPerPeer,
      Predicate<Multiaddr> dialable) {
    /** Checks the bounds. */
    public Limits {
      Objects.requireNonNull(livenessTimeout, "livenessTimeout");
      Objects.requireNonNull(dialable, "dialable");
    }
  }

  /** Asks a peer whether it is still alive on the DHT protocol. */
  @FunctionalInterface
  public interface LivenessCheck {
    /** Completes with {@code true} if the peer answered; {@code false} or failure otherwise. */
    CompletableFuture<Boolean> isAlive(PeerInfo peer);
  }

  /** Outcome of {@link #peerAnswered}. */
  public enum Update {
    /** The peer was added to its bucket. */
    ADDED,
    /** The peer was already present; its last contact and addresses were refreshed. */
    REFRESHED,
    /** The bucket is full: the peer waits in the replacement cache (a liveness check may run). */
    CACHED,
    /** The local peer itself, or a peer without dialable addresses: ignored. */
    IGNORED
  }

  /** Consecutive failures after which a member is evicted even without a replacement. */
  static final int MAX_FAILURES = 3;

  private static final Logger LOG = LoggerFactory.getLogger(RoutingTable.class);

  private final PeerId local;
  private final KadKey localKey;
  private final Limits limits;
  private final LivenessCheck livenessCheck;
  private final Clock clock;
  private final Bucket[] buckets = new Bucket[KadKey.BITS];
  private int size;

  /** Creates an empty table for {@code local}. */
  public RoutingTable(PeerId local, Limits limits, LivenessCheck livenessCheck, Clock clock) {
    this.local = Objects.requireNonNull(local, "local");
    this.localKey = KadKey.ofPeer(local);
    this.limits = Objects.requireNonNull(limits, "limits");
    this.livenessCheck = Objects.requireNonNull(livenessCheck, "livenessCheck");
    this.clock = Objects.requireNonNull(clock, "clock");
    for (int i = 0; i < buckets.length; i++) {
      buckets[i] = new Bucket();
    }
  }

  private static final class Entry {
    final PeerId id;
    final KadKey key;
    final Instant addedAt;
    List<Multiaddr> addrs;
    Instant lastSeen;
    int failures;

    Entry(PeerId id, KadKey key, List<Multiaddr> addrs, Instant now) {
      this.id = id;
      this.key = key;
      this.addrs = addrs;
      this.addedAt = now;
      this.lastSeen = now;
    }

    PeerInfo info() {
      return new PeerInfo(id, addrs);
    }
  }

  private static final class Bucket {
    /** Members, least recently seen first. */
    final LinkedHashMap<PeerId, Entry> members = new LinkedHashMap<>();

    /** Candidates, oldest first. */
    final LinkedHashMap<PeerId, PeerInfo> replacements = new LinkedHashMap<>();

    PeerId checking;
  }

  /** The local peer. */
  public PeerId localPeer() {
    return local;
  }

  /**
   * Records that {@code peer} answered a DHT request, with the addresses it is known by.
   *
   * @return what happened to the peer
   */
  public Update peerAnswered(PeerInfo peer) {
    if (peer.id().equals(local)) {
      return Update.IGNORED;
    }
    KadKey key = peer.kadKey();
    Entry toCheck;
    synchronized (this) {
      Bucket bucket = buckets[localKey.commonPrefixLength(key)];
      Entry existing = bucket.members.get(peer.id());
      if (existing != null) {
        List<Multiaddr> merged = new ArrayList<>(peer.addrs());
        merged.addAll(existing.addrs);
        existing.addrs = sanitize(peer.id(), merged);
        existing.lastSeen = clock.instant();
        existing.failures = 0;
        bucket.members.remove(peer.id());
        bucket.members.put(peer.id(), existing);
        return Update.REFRESHED;
      }
      List<Multiaddr> addrs = sanitize(peer.id(), peer.addrs());
      if (addrs.isEmpty()) {
        return Update.IGNORED;
      }
      if (bucket.members.size() < limits.k()) {
        bucket.replacements.remove(peer.id());
        bucket.members.put(peer.id(), new Entry(peer.id(), key, addrs, clock.instant()));
        size++;
        LOG.debug("kad_table_add peer={} cpl={} size={}", peer.id(), cplOf(key), size);
        return Update.ADDED;
      }
      cacheReplacement(bucket, new PeerInfo(peer.id(), addrs));
      if (bucket.checking != null) {
        return Update.CACHED;
      }
      toCheck = bucket.members.values().iterator().next();
      bucket.checking = toCheck.id;
    }
    startLivenessCheck(toCheck.info(), toCheck.key);
    return Update.CACHED;
  }

  private void cacheReplacement(Bucket bucket, PeerInfo peer) {
    if (limits.replacementCacheSize() == 0) {
      return;
    }
    bucket.replacements.remove(peer.id());
    bucket.replacements.put(peer.id(), peer);
    while (bucket.replacements.size() > limits.replacementCacheSize()) {
      Iterator<PeerId> it = bucket.replacements.keySet().iterator();
      it.next();
      it.remove();
    }
  }

  private void startLivenessCheck(PeerInfo peer, KadKey key) {
    CompletableFuture<Boolean> check;
    try {
      check = livenessCheck.isAlive(peer);
      if (check == null) {
        check = CompletableFuture.completedFuture(false);
      }
    } catch (RuntimeException e) {
      check = CompletableFuture.failedFuture(e);
    }
    check
        .toCompletableFuture()
        .copy()
        .orTimeout(limits.livenessTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete(
            (alive, error) ->
                livenessResult(peer.id(), key, error == null && Boolean.TRUE.equals(alive)));
  }

  private void livenessResult(PeerId id, KadKey key, boolean alive) {
    synchronized (this) {
      Bucket bucket = buckets[localKey.commonPrefixLength(key)];
      if (id.equals(bucket.checking)) {
        bucket.checking = null;
      }
      Entry entry = bucket.members.get(id);
      if (entry == null) {
        promoteReplacement(bucket);
        return;
      }
      if (alive) {
        entry.lastSeen = clock.instant();
        entry.failures = 0;
        bucket.members.remove(id);
        bucket.members.put(id, entry);
        LOG.debug("kad_table_liveness_ok peer={}", id);
        return;
      }
      LOG.debug("kad_table_evict peer={} reason=liveness_check_failed", id);
      bucket.members.remove(id);
      size--;
      promoteReplacement(bucket);
    }
  }

  /** Moves the newest replacement into the bucket if there is room. Caller holds the lock. */
  private void promoteReplacement(Bucket bucket) {
    if (bucket.members.size() >= limits.k() || bucket.replacements.isEmpty()) {
      return;
    }
    PeerInfo newest = null;
    for (PeerInfo p : bucket.replacements.values()) {
      newest = p;
    }
    bucket.replacements.remove(newest.id());
    bucket.members.put(
        newest.id(), new Entry(newest.id(), newest.kadKey(), newest.addrs(), clock.instant()));
    size++;
    LOG.debug("kad_table_promote peer={} size={}", newest.id(), size);
  }

  /**
   * Records that a request to {@code peer} failed. A member is replaced by the newest replacement
   * if one exists, else evicted after {@value #MAX_FAILURES} consecutive failures. A waiting
   * replacement is forgotten.
   */
  public void peerFailed(PeerId peer) {
    if (peer.equals(local)) {
      return;
    }
    synchronized (this) {
      Bucket bucket = buckets[localKey.commonPrefixLength(KadKey.ofPeer(peer))];
      bucket.replacements.remove(peer);
      Entry entry = bucket.members.get(peer);
      if (entry == null) {
        return;
      }
      entry.failures++;
      if (entry.failures >= MAX_FAILURES || !bucket.replacements.isEmpty()) {
        bucket.members.remove(peer);
        size--;
        LOG.debug(
            "kad_table_evict peer={} reason=request_failed failures={}", peer, entry.failures);
        promoteReplacement(bucket);
      }
    }
  }

  /** Removes a peer (member or replacement) outright. Returns whether it was a member. */
  public synchronized boolean remove(PeerId peer) {
    if (peer.equals(local)) {
      return false;
    }
    Bucket bucket = buckets[localKey.commonPrefixLength(KadKey.ofPeer(peer))];
    bucket.replacements.remove(peer);
    if (bucket.members.remove(peer) == null) {
      return false;
    }
    size--;
    promoteReplacement(bucket);
    return true;
  }

  /** The member with this id, if present. */
  public synchronized Optional<PeerInfo> find(PeerId peer) {
    if (peer.equals(local)) {
      return Optional.empty();
    }
    Entry e = buckets[localKey.commonPrefixLength(KadKey.ofPeer(peer))].members.get(peer);
    return e == null ? Optional.empty() : Optional.of(e.info());
  }

  /** Whether {@code peer} is a member. */
  public boolean contains(PeerId peer) {
    return find(peer).isPresent();
  }

  /** Number of members. */
  public synchronized int size() {
    return size;
  }

  /** Up to {@code n} members closest to {@code target}, closest first. */
  public List<PeerInfo> closest(KadKey target, int n) {
    if (n <= 0) {
      return List.of();
    }
    List<Entry> all = new ArrayList<>();
    synchronized (this) {
      for (Bucket b : buckets) {
        all.addAll(b.members.values());
      }
      all.sort((x, y) -> KadKey.compareDistance(target, x.key, y.key));
      List<PeerInfo> out = new ArrayList<>(Math.min(n, all.size()));
      for (Entry e : all) {
        if (out.size() >= n) {
          break;
        }
        out.add(e.info());
      }
      return out;
    }
  }

  /** A copy of the table's state. */
  public synchronized RoutingTableSnapshot snapshot() {
    List<RoutingTableSnapshot.Bucket> out = new ArrayList<>();
    for (int cpl = 0; cpl < buckets.length; cpl++) {
      Bucket b = buckets[cpl];
      if (b.members.isEmpty() && b.replacements.isEmpty()) {
        continue;
      }
      List<RoutingTableSnapshot.Peer> peers = new ArrayList<>();
      for (Entry e : b.members.values()) {
        peers.add(new RoutingTableSnapshot.Peer(e.id, e.addrs, e.addedAt, e.lastSeen, e.failures));
      }
      out.add(
          new RoutingTableSnapshot.Bucket(
              cpl, peers, new ArrayList<>(b.replacements.keySet()), b.checking != null));
    }
    return new RoutingTableSnapshot(local, size, out);
  }

  private int cplOf(KadKey key) {
    return localKey.commonPrefixLength(key);
  }

  private List<Multiaddr> sanitize(PeerId id, List<Multiaddr> addrs) {
    return KadAddresses.sanitize(id, addrs, limits.maxAddrsPerPeer(), limits.dialable());
  }

  @Override
  public String toString() {
    return "RoutingTable[local=" + local + ", size=" + size() + "]";
  }

  /** Visible for tests: members per bucket index. */
  synchronized Map<Integer, Integer> bucketSizes() {
    Map<Integer, Integer> out = new LinkedHashMap<>();
    for (int i = 0; i < buckets.length; i++) {
      if (!buckets[i].members.isEmpty()) {
        out.put(i, buckets[i].members.size());
      }
    }
    return out;
  }
}
