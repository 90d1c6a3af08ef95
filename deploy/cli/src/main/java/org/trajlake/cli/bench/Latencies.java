package org.trajlake.cli.bench;

import java.util.Arrays;

/** Latency samples and their percentiles, in milliseconds. */
final class Latencies {
  private long[] nanos = new long[1024];
  private int count;

  synchronized void add(long elapsedNanos) {
    if (count == nanos.length) {
      nanos = Arrays.copyOf(nanos, count * 2);
    }
    nanos[count++] = elapsedNanos;
  }

  synchronized int count() {
    return count;
  }

  /** The {@code p}-th percentile (nearest rank), in ms. */
  synchronized double percentile(double p) {
    if (count == 0) {
      return Double.NaN;
    }
    long[] sorted = Arrays.copyOf(nanos, count);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * count);
    return sorted[Math.max(0, Math.min(count - 1, rank - 1))] / 1e6;
  }

  /** A copy of every sample so far, for the report's distribution chart. */
  synchronized LatencySamples samples(String name) {
    double[] millis = new double[count];
    for (int i = 0; i < count; i++) {
      millis[i] = nanos[i] / 1e6;
    }
    return new LatencySamples(name, millis);
  }

  String summary() {
    return String.format("p50 %6.1f ms  p95 %6.1f ms  p99 %6.1f ms  (%d samples)",
        percentile(50), percentile(95), percentile(99), count());
  }
}
