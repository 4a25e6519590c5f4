package io.phase.p2p.kad;

import io.phase.p2p.kad.routing.KadAddresses;
import io.phase.p2p.kad.routing.RoutingTable;
import io.phase.p2p.kad.store.ProviderStore;
import io.phase.p2p.kad.store.RecordStore;
import io.phase.p2p.kad.wire.MessageCodec;
import io.phase.p2p.multiaddr.Multiaddr;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Tunables and limits of a Kademlia node; every field is bounded. Build with {@link #builder()};
 * {@link #defaults()} gives the values documented in {@code docs/kad.md}.
 *
 * @param k bucket size and replication factor (closest peers returned and stored at)
 * @param alpha parallel requests per lookup
 * @param replacementCacheSize peers kept per bucket as candidates when the bucket is full
 * @param maxAddrsPerPeer addresses kept per peer (routing table and provider records)
 * @param queryTimeout timeout of one request during a lookup
 * @param lookupDeadline deadline of a whole lookup
 * @param livenessTimeout timeout of the liveness check of a bucket's least-recently-seen peer
 * @param maxLookupPeers peers tracked by one lookup (farthest unqueried ones are dropped beyond)
 * @param providerTtl lifetime of a provider record
 * @param maxProvidersPerKey provider records kept per key
 * @param maxProviderRecords provider records kept in total
 * @param providersPerResponse provider peers put in one GET_PROVIDERS response
 * @param recordTtl lifetime of a stored value record
 * @param maxRecordValueBytes largest value accepted by PUT_VALUE
 * @param maxRecords value records kept in total
 * @param maxConcurrentInbound inbound requests handled at once (the stream handler's semaphore)
 * @param maxPendingProbes concurrent probes of unknown peers that sent us requests
 * @param dialable which addresses are worth keeping and handing out
 */
public record KadConfig(
    int k,
    int alpha,
    int replacementCacheSize,
    int maxAddrsPerPeer,
    Duration queryTimeout,
    Duration lookupDeadline,
    Duration livenessTimeout,
    int maxLookupPeers,
    Duration providerTtl,
    int maxProvidersPerKey,
    int maxProviderRecords,
    int providersPerResponse,
    Duration recordTtl,
    int maxRecordValueBytes,
    int maxRecords,
    int maxConcurrentInbound,
    int maxPendingProbes,
    Predicate<Multiaddr> dialable) {

  /** Validates every bound. */
  public KadConfig {
    range("k", k, 1, MessageCodec.MAX_CLOSER_PEERS);
    range("alpha", alpha, 1, 64);
    range("replacementCacheSize", replacementCacheSize, 0, 256);
    range("maxAddrsPerPeer", maxAddrsPerPeer, 1, MessageCodec.MAX_ADDRS_PER_PEER);
    positive("queryTimeout", queryTimeout);
    positive("lookupDeadline", lookupDeadline);
    positive("livenessTimeout", livenessTimeout);
    range("maxLookupPeers", maxLookupPeers, k, 100_000);
    positive("providerTtl", providerTtl);
    range("maxProvidersPerKey", maxProvidersPerKey, 1, 100_000);
    range("maxProviderRecords", maxProviderRecords, maxProvidersPerKey, 10_000_000);
    range("providersPerResponse", providersPerResponse, 1, MessageCodec.MAX_PROVIDER_PEERS);
    positive("recordTtl", recordTtl);
    range("maxRecordValueBytes", maxRecordValueBytes, 1, MessageCodec.MAX_VALUE_BYTES);
    range("maxRecords", maxRecords, 1, 10_000_000);
    range("maxConcurrentInbound", maxConcurrentInbound, 1, 100_000);
    range("maxPendingProbes", maxPendingProbes, 0, 10_000);
    Objects.requireNonNull(dialable, "dialable");
  }

  private static void range(String name, int v, int min, int max) {
    if (v < min || v > max) {
      throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "]: " + v);
    }
  }

  private static void positive(String name, Duration d) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + d);
    }
  }

  /** The documented defaults. */
  public static KadConfig defaults() {
    return builder().build();
  }

  /** The bounds of the routing table. */
  public RoutingTable.Limits routingLimits() {
    return new RoutingTable.Limits(
        k, replacementCacheSize, livenessTimeout, maxAddrsPerPeer, dialable);
  }

  /** The bounds of the value-record store. */
  public RecordStore.Limits recordLimits() {
    return new RecordStore.Limits(maxRecords, maxRecordValueBytes, recordTtl);
  }

  /** The bounds of the provider store. */
  public ProviderStore.Limits providerLimits() {
    return new ProviderStore.Limits(
        maxProviderRecords, maxProvidersPerKey, providerTtl, maxAddrsPerPeer, dialable);
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this configuration. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.k = k;
    b.alpha = alpha;
    b.replacementCacheSize = replacementCacheSize;
    b.maxAddrsPerPeer = maxAddrsPerPeer;
    b.queryTimeout = queryTimeout;
    b.lookupDeadline = lookupDeadline;
    b.livenessTimeout = livenessTimeout;
    b.maxLookupPeers = maxLookupPeers;
    b.providerTtl = providerTtl;
    b.maxProvidersPerKey = maxProvidersPerKey;
    b.maxProviderRecords = maxProviderRecords;
    b.providersPerResponse = providersPerResponse;
    b.recordTtl = recordTtl;
    b.maxRecordValueBytes = maxRecordValueBytes;
    b.maxRecords = maxRecords;
    b.maxConcurrentInbound = maxConcurrentInbound;
    b.maxPendingProbes = maxPendingProbes;
    b.dialable = dialable;
    return b;
  }

  /** Mutable builder of {@link KadConfig}; not thread-safe. */
  public static final class Builder {
    private int k = 20;
    private int alpha = 3;
    private int replacementCacheSize = 8;
    private int maxAddrsPerPeer = 8;
    private Duration queryTimeout = Duration.ofSeconds(10);
    private Duration lookupDeadline = Duration.ofSeconds(60);
    private Duration livenessTimeout = Duration.ofSeconds(10);
    private int maxLookupPeers = 500;
    private Duration providerTtl = Duration.ofHours(48);
    private int maxProvidersPerKey = 64;
    private int maxProviderRecords = 50_000;
    private int providersPerResponse = 20;
    private Duration recordTtl = Duration.ofHours(36);
    private int maxRecordValueBytes = 8 * 1024;
    private int maxRecords = 1024;
    private int maxConcurrentInbound = 64;
    private int maxPendingProbes = 16;
    private Predicate<Multiaddr> dialable = KadAddresses::isDialable;

    private Builder() {}

    /** Sets {@code k}. */
    public Builder k(int v) {
      k = v;
      return this;
    }

    /** Sets {@code alpha}. */
    public Builder alpha(int v) {
      alpha = v;
      return this;
    }

    /** Sets {@code replacementCacheSize}. */
    public Builder replacementCacheSize(int v) {
      replacementCacheSize = v;
      return this;
    }

    /** Sets {@code maxAddrsPerPeer}. */
    public Builder maxAddrsPerPeer(int v) {
      maxAddrsPerPeer = v;
      return this;
    }

    /** Sets {@code queryTimeout}. */
    public Builder queryTimeout(Duration v) {
      queryTimeout = v;
      return this;
    }

    /** Sets {@code lookupDeadline}. */
    public Builder lookupDeadline(Duration v) {
      lookupDeadline = v;
      return this;
    }

    /** Sets {@code livenessTimeout}. */
    public Builder livenessTimeout(Duration v) {
      livenessTimeout = v;
      return this;
    }

    /** Sets {@code maxLookupPeers}. */
    public Builder maxLookupPeers(int v) {
      maxLookupPeers = v;
      return this;
    }

    /** Sets {@code providerTtl}. */
    public Builder providerTtl(Duration v) {
      providerTtl = v;
      return this;
    }

    /** Sets {@code maxProvidersPerKey}. */
    public Builder maxProvidersPerKey(int v) {
      maxProvidersPerKey = v;
      return this;
    }

    /** Sets {@code maxProviderRecords}. */
    public Builder maxProviderRecords(int v) {
      maxProviderRecords = v;
      return this;
    }

    /** Sets {@code providersPerResponse}. */
    public Builder providersPerResponse(int v) {
      providersPerResponse = v;
      return this;
    }

    /** Sets {@code recordTtl}. */
    public Builder recordTtl(Duration v) {
      recordTtl = v;
      return this;
    }

    /** Sets {@code maxRecordValueBytes}. */
    public Builder maxRecordValueBytes(int v) {
      maxRecordValueBytes = v;
      return this;
    }

    /** Sets {@code maxRecords}. */
    public Builder maxRecords(int v) {
      maxRecords = v;
      return this;
    }

    /** Sets {@code maxConcurrentInbound}. */
    public Builder maxConcurrentInbound(int v) {
      maxConcurrentInbound = v;
      return this;
    }

    /** Sets {@code maxPendingProbes}. */
    public Builder maxPendingProbes(int v) {
      maxPendingProbes = v;
      return this;
    }

    /** Sets the dialable-address predicate. */
    public Builder dialable(Predicate<Multiaddr> v) {
      dialable = v;
      return this;
    }

    /** Builds and validates. */
    public KadConfig build() {
      return new KadConfig(
          k,
          alpha,
          replacementCacheSize,
          maxAddrsPerPeer,
          queryTimeout,
          lookupDeadline,
          livenessTimeout,
          maxLookupPeers,
          providerTtl,
          maxProvidersPerKey,
          maxProviderRecords,
          providersPerResponse,
          recordTtl,
          maxRecordValueBytes,
          maxRecords,
          maxConcurrentInbound,
          maxPendingProbes,
          dialable);
    }
  }
}
