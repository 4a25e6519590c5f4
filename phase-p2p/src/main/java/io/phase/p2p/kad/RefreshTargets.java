package io.phase.p2p.kad;

import io.phase.p2p.kad.routing.KadKey;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Random lookup keys that fall into a given bucket: keys whose SHA-256 shares exactly {@code cpl}
 * leading bits with our own key. Found by trial (about 2<sup>cpl+1</sup> hashes), so only buckets
 * up to {@link #MAX_CPL} are refreshed this way; deeper ones are covered by the self lookup.
 */
final class RefreshTargets {

  /** Deepest bucket refreshed with a random key. */
  static final int MAX_CPL = 14;

  private static final int MAX_TRIES = 1 << 18;
  private static final int KEY_BYTES = 32;

  private final KadKey self;
  private final RandomGenerator random;

  RefreshTargets(KadKey self) {
    this(self, new SecureRandom());
  }

  RefreshTargets(KadKey self, RandomGenerator random) {
    this.self = self;
    this.random = random;
  }

  /** A random key in bucket {@code cpl} (0 ≤ cpl ≤ {@link #MAX_CPL}), if one was found in time. */
  Optional<byte[]> keyInBucket(int cpl) {
    if (cpl < 0 || cpl > MAX_CPL) {
      throw new IllegalArgumentException("cpl must be in [0, " + MAX_CPL + "]: " + cpl);
    }
    byte[] key = new byte[KEY_BYTES];
    for (int i = 0; i < MAX_TRIES; i++) {
      random.nextBytes(key);
      if (KadKey.of(key).commonPrefixLength(self) == cpl) {
        return Optional.of(key.clone());
      }
    }
    return Optional.empty();
  }
}
