package io.phase.p2p.kad;

import io.phase.p2p.multiaddr.Multiaddr;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How a {@link KadService} runs: mode, bootstrap peers, maintenance periods and their bounds. Build
 * with {@link #builder()}; the defaults are documented in {@code docs/kad.md}.
 *
 * @param kad the DHT's own limits
 * @param mode server (default) or client
 * @param bootstrap peers to join through, each ending in {@code /p2p/<peer id>} (at most {@value
 *     #MAX_BOOTSTRAP})
 * @param bootstrapBackoffMin delay before the first retry when no bootstrap peer answered
 * @param bootstrapBackoffMax longest delay between retries (the delay doubles up to it)
 * @param refreshInterval period of the routing table refresh (self lookup + random bucket lookups)
 * @param refreshLookups random-key lookups per refresh, one per bucket from the farthest
 * @param republishInterval period of provider republishing; below half the provider TTL
 * @param pruneInterval period of the provider and record store prune
 * @param maxProvidedKeys keys this node may announce at once
 * @param inboundTimeout how long an inbound stream may wait for its next request
 */
public record KadServiceConfig(
    KadConfig kad,
    KadMode mode,
    List<Multiaddr> bootstrap,
    Duration bootstrapBackoffMin,
    Duration bootstrapBackoffMax,
    Duration refreshInterval,
    int refreshLookups,
    Duration republishInterval,
    Duration pruneInterval,
    int maxProvidedKeys,
    Duration inboundTimeout) {

  /** Most bootstrap addresses accepted. */
  public static final int MAX_BOOTSTRAP = 64;

  /** Validates every bound. */
  public KadServiceConfig {
    Objects.requireNonNull(kad, "kad");
    Objects.requireNonNull(mode, "mode");
    bootstrap = List.copyOf(bootstrap);
    if (bootstrap.size() > MAX_BOOTSTRAP) {
      throw new IllegalArgumentException(
          "at most " + MAX_BOOTSTRAP + " bootstrap addresses: " + bootstrap.size());
    }
    for (Multiaddr a : bootstrap) {
      if (a.peerId().isEmpty()) {
        throw new IllegalArgumentException("bootstrap address must end in /p2p/<peer id>: " + a);
      }
    }
    positive("bootstrapBackoffMin", bootstrapBackoffMin);
    positive("bootstrapBackoffMax", bootstrapBackoffMax);
    if (bootstrapBackoffMax.compareTo(bootstrapBackoffMin) < 0) {
      throw new IllegalArgumentException("bootstrapBackoffMax must be >= bootstrapBackoffMin");
    }
    positive("refreshInterval", refreshInterval);
    if (refreshLookups < 0 || refreshLookups > 32) {
      throw new IllegalArgumentException("refreshLookups must be in [0, 32]: " + refreshLookups);
    }
    positive("republishInterval", republishInterval);
    if (republishInterval.multipliedBy(2).compareTo(kad.providerTtl()) > 0) {
      throw new IllegalArgumentException(
          "republishInterval "
              + republishInterval
              + " must be at most half the provider TTL "
              + kad.providerTtl());
    }
    positive("pruneInterval", pruneInterval);
    if (maxProvidedKeys < 1 || maxProvidedKeys > 10_000) {
      throw new IllegalArgumentException("maxProvidedKeys must be in [1, 10000]");
    }
    positive("inboundTimeout", inboundTimeout);
  }

  private static void positive(String name, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + d);
    }
  }

  /** The defaults. */
  public static KadServiceConfig defaults() {
    return builder().build();
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Mutable builder of {@link KadServiceConfig}; not thread-safe. */
  public static final class Builder {
    private KadConfig kad = KadConfig.defaults();
    private KadMode mode = KadMode.SERVER;
    private final List<Multiaddr> bootstrap = new ArrayList<>();
    private Duration bootstrapBackoffMin = Duration.ofSeconds(1);
    private Duration bootstrapBackoffMax = Duration.ofMinutes(1);
    private Duration refreshInterval = Duration.ofMinutes(10);
    private int refreshLookups = 8;
    private Duration republishInterval = Duration.ofHours(12);
    private Duration pruneInterval = Duration.ofHours(1);
    private int maxProvidedKeys = 256;
    private Duration inboundTimeout = Duration.ofSeconds(10);

    private Builder() {}

    /** The DHT's limits (default {@link KadConfig#defaults()}). */
    public Builder kad(KadConfig value) {
      this.kad = value;
      return this;
    }

    /** Server (default) or client mode. */
    public Builder mode(KadMode value) {
      this.mode = value;
      return this;
    }

    /** Adds bootstrap addresses. */
    public Builder bootstrap(List<Multiaddr> addresses) {
      bootstrap.addAll(addresses);
      return this;
    }

    /** First and longest delay between bootstrap attempts (default 1 s and 1 min). */
    public Builder bootstrapBackoff(Duration min, Duration max) {
      this.bootstrapBackoffMin = min;
      this.bootstrapBackoffMax = max;
      return this;
    }

    /** Routing table refresh period (default 10 min). */
    public Builder refreshInterval(Duration value) {
      this.refreshInterval = value;
      return this;
    }

    /** Random-key lookups per refresh (default 8). */
    public Builder refreshLookups(int value) {
      this.refreshLookups = value;
      return this;
    }

    /** Provider republish period (default 12 h). */
    public Builder republishInterval(Duration value) {
      this.republishInterval = value;
      return this;
    }

    /** Store prune period (default 1 h). */
    public Builder pruneInterval(Duration value) {
      this.pruneInterval = value;
      return this;
    }

    /** Keys this node may announce at once (default 256). */
    public Builder maxProvidedKeys(int value) {
      this.maxProvidedKeys = value;
      return this;
    }

    /** Idle wait of an inbound stream (default 10 s). */
    public Builder inboundTimeout(Duration value) {
      this.inboundTimeout = value;
      return this;
    }

    /** Validates and builds. */
    public KadServiceConfig build() {
      return new KadServiceConfig(
          kad,
          mode,
          bootstrap,
          bootstrapBackoffMin,
          bootstrapBackoffMax,
          refreshInterval,
          refreshLookups,
          republishInterval,
          pruneInterval,
          maxProvidedKeys,
          inboundTimeout);
    }
  }
}
