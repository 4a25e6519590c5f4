package io.phase.p2p.kad.store;

import io.phase.p2p.kad.routing.KadAddresses;
import io.phase.p2p.kad.routing.PeerInfo;
import io.phase.p2p.kad.wire.MessageCodec;
import io.phase.p2p.multiaddr.Multiaddr;
import io.phase.p2p.peer.PeerId;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * Provider records: which peers provide which key, each expiring {@code providerTtl} after its last
 * announcement. Bounded to {@code maxProvidersPerKey} per key (a full key drops its least recently
 * announced provider) and {@code maxProviderRecords} in total (when full, expired records are
 * pruned and new announcements are refused if still full; refreshes always succeed). Provider
 * addresses are sanitised and capped. Thread-safe.
 */
public final class ProviderStore {

  /**
   * The bounds a provider store keeps.
   *
   * @param maxProviderRecords provider records kept at most, over all keys
   * @param maxProvidersPerKey providers kept per key
   * @param providerTtl how long an announcement lives
   * @param maxAddrsPerPeer addresses kept per provider
   * @param dialable which provider addresses are worth keeping
   */
  public record Limits(
      int maxProviderRecords,
      int maxProvidersPerKey,
      Duration providerTtl,
      int maxAddrsPerPeer,
      Predicate<Multiaddr> dialable) {
    /** Checks the bounds. */
    public Limits {
      Objects.requireNonNull(providerTtl, "providerTtl");
      Objects.requireNonNull(dialable, "dialable");
    }
  }

  private final Limits limits;
  private final Clock clock;
  private final Map<ByteBuffer, LinkedHashMap<PeerId, Entry>> byKey = new HashMap<>();
  private int total;

  private record Entry(PeerInfo provider, Instant expires) {}

  /** Creates an empty store. */
  public ProviderStore(Limits limits, Clock clock) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Records (or refreshes) {@code provider} for {@code key}.
   *
   * @return {@code false} if the store is full and the record is new
   * @throws IllegalArgumentException if the key is empty or longer than {@link
   *     MessageCodec#MAX_KEY_BYTES}
   */
  public synchronized boolean addProvider(byte[] key, PeerInfo provider) {
    if (key.length == 0 || key.length > MessageCodec.MAX_KEY_BYTES) {
      throw new IllegalArgumentException(
          "provider key must be 1.." + MessageCodec.MAX_KEY_BYTES + " bytes");
    }
    Instant now = clock.instant();
    ByteBuffer k = ByteBuffer.wrap(key.clone());
    PeerInfo clean =
        new PeerInfo(
            provider.id(),
            KadAddresses.sanitize(
                provider.id(), provider.addrs(), limits.maxAddrsPerPeer(), limits.dialable()));
    Entry fresh = new Entry(clean, now.plus(limits.providerTtl()));
    LinkedHashMap<PeerId, Entry> providers = byKey.get(k);
    if (providers != null && providers.remove(provider.id()) != null) {
      providers.put(provider.id(), fresh);
      return true;
    }
    if (total >= limits.maxProviderRecords()) {
      pruneExpired(now);
      if (total >= limits.maxProviderRecords()) {
        return false;
      }
      providers = byKey.get(k);
    }
    if (providers == null) {
      providers = new LinkedHashMap<>();
      byKey.put(k, providers);
    }
    if (providers.size() >= limits.maxProvidersPerKey()) {
      Iterator<PeerId> oldest = providers.keySet().iterator();
      oldest.next();
      oldest.remove();
      total--;
    }
    providers.put(provider.id(), fresh);
    total++;
    return true;
  }

  /**
   * Unexpired providers of {@code key}: all of them if there are at most {@code max}, else a random
   * sample of {@code max} (so that different askers learn different providers).
   */
  public synchronized List<PeerInfo> providers(byte[] key, int max) {
    LinkedHashMap<PeerId, Entry> providers = byKey.get(ByteBuffer.wrap(key));
    if (providers == null || max <= 0) {
      return List.of();
    }
    Instant now = clock.instant();
    List<PeerInfo> live = new ArrayList<>(providers.size());
    for (Iterator<Entry> it = providers.values().iterator(); it.hasNext(); ) {
      Entry e = it.next();
      if (e.expires.isAfter(now)) {
        live.add(e.provider);
      } else {
        it.remove();
        total--;
      }
    }
    if (providers.isEmpty()) {
      byKey.remove(ByteBuffer.wrap(key));
    }
    if (live.size() > max) {
      Collections.shuffle(live, ThreadLocalRandom.current());
      return List.copyOf(live.subList(0, max));
    }
    return live;
  }

  /** Removes expired records; returns how many were removed. */
  public synchronized int prune() {
    return pruneExpired(clock.instant());
  }

  private int pruneExpired(Instant now) {
    int removed = 0;
    for (Iterator<LinkedHashMap<PeerId, Entry>> keys = byKey.values().iterator();
        keys.hasNext(); ) {
      LinkedHashMap<PeerId, Entry> providers = keys.next();
      for (Iterator<Entry> it = providers.values().iterator(); it.hasNext(); ) {
        if (!it.next().expires.isAfter(now)) {
          it.remove();
          removed++;
        }
      }
      if (providers.isEmpty()) {
        keys.remove();
      }
    }
    total -= removed;
    return removed;
  }

  /** Number of stored provider records (including expired ones not yet pruned). */
  public synchronized int size() {
    return total;
  }

  /** Number of keys with at least one stored record. */
  public synchronized int keyCount() {
    return byKey.size();
  }
}
