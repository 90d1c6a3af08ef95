package org.trajlake.cli.bench;

import java.util.Arrays;

/**
 * Every sample of one latency figure, in milliseconds, sorted: what the report's distribution chart
 * and its percentile table are drawn from.
 *
 * @param name the figure the samples belong to, for example {@code recall: HTTP bm25}
 * @param millis the samples, ascending
 */
public record LatencySamples(String name, double[] millis) {
  public LatencySamples {
    millis = millis.clone();
    Arrays.sort(millis);
  }

  public int count() {
    return millis.length;
  }

  /** The {@code p}-th percentile (nearest rank), as {@link Latencies#percentile} computes it. */
  public double percentile(double p) {
    if (millis.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(p / 100.0 * millis.length);
    return millis[Math.max(0, Math.min(millis.length - 1, rank - 1))];
  }

  public LatencySamples named(String newName) {
    return new LatencySamples(newName, millis);
  }
}
