package io.phase.core.bench;

import java.util.Arrays;

/** Timings of repeated runs, in milliseconds, with the order statistics the benchmark reports. */
final class Samples {
  private final double[] sorted;

  Samples(double[] millis) {
    if (millis.length == 0) {
      throw new IllegalArgumentException("no samples");
    }
    this.sorted = millis.clone();
    Arrays.sort(sorted);
  }

  int count() {
    return sorted.length;
  }

  double min() {
    return sorted[0];
  }

  double max() {
    return sorted[sorted.length - 1];
  }

  double median() {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /** The nearest-rank percentile, {@code p} in (0, 100]. */
  double percentile(double p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }
}
