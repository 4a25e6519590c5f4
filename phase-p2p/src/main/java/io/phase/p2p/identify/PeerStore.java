package io.phase.p2p.identify;

import io.phase.p2p.peer.PeerId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What Identify learned about each peer, bounded: when full, the least recently updated or read
 * peer is forgotten. Entries outlive connections, so addresses stay known for re-dialing.
 * Thread-safe.
 */
public final class PeerStore {
  /** Default number of peers kept. */
  public static final int DEFAULT_CAPACITY = 1024;

  private final int capacity;
  private final Map<PeerId, IdentifyResult> entries;

  /** A store of at most {@link #DEFAULT_CAPACITY} peers. */
  public PeerStore() {
    this(DEFAULT_CAPACITY);
  }

  /** A store of at most {@code capacity} peers. */
  public PeerStore(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1");
    }
    this.capacity = capacity;
    this.entries =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<PeerId, IdentifyResult> eldest) {
            return size() > PeerStore.this.capacity;
          }
        };
  }

  /** The latest information about {@code peer}, if known. */
  public synchronized Optional<IdentifyResult> get(PeerId peer) {
    return Optional.ofNullable(entries.get(peer));
  }

  /** Stores (replaces) the information about {@code result.peer()}. */
  public synchronized void put(IdentifyResult result) {
    entries.put(result.peer(), result);
  }

  /** Forgets {@code peer}; returns whether it was known. */
  public synchronized boolean remove(PeerId peer) {
    return entries.remove(peer) != null;
  }

  /** The peers known, least recently used first. */
  public synchronized List<PeerId> peers() {
    return List.copyOf(entries.keySet());
  }

  /** Number of peers known. */
  public synchronized int size() {
    return entries.size();
  }

  /** Maximum number of peers kept. */
  public int capacity() {
    return capacity;
  }
}
