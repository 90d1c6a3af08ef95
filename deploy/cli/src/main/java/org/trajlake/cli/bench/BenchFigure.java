package org.trajlake.cli.bench;

import java.time.Duration;

/**
 * One measured figure, for the console and the JSON report.
 *
 * @param stage what was measured
 * @param value the figure
 * @param unit its unit: {@code events/s}, {@code ms}, ...
 * @param note how it was taken
 */
public record BenchFigure(String stage, double value, String unit, String note) {
  /** A throughput: {@code count} units in {@code elapsed}. */
  public static BenchFigure rate(String stage, long count, String unit, Duration elapsed, String note) {
    double seconds = elapsed.toNanos() / 1e9;
    return new BenchFigure(stage, seconds == 0 ? 0 : count / seconds, unit + "/s",
        String.format("%,d %s in %.2f s; %s", count, unit, seconds, note));
  }

  /** A latency percentile in milliseconds. */
  public static BenchFigure latency(String stage, double millis, String note) {
    return new BenchFigure(stage, millis, "ms", note);
  }

  public String row() {
    return String.format("  %-52s %,12.1f %-10s %s", stage, value, unit, note);
  }
}
