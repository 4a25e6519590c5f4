package io.phase.p2p.bench;

import java.util.Arrays;

/** Order statistics of a list of measurements. */
final class Samples {
  private final double[] sorted;

  Samples(double[] values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("no samples");
    }
    sorted = values.clone();
    Arrays.sort(sorted);
  }

  double median() {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /** Nearest-rank percentile, {@code p} in (0, 100]. */
  double percentile(double p) {
    int rank = (int) Math.ceil(p / 100 * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }

  double min() {
    return sorted[0];
  }

  double max() {
    return sorted[sorted.length - 1];
  }

  double mean() {
    return Arrays.stream(sorted).sum() / sorted.length;
  }
}
