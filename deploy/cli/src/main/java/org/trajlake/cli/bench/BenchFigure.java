package org.trajlake.cli.bench;

import java.time.Duration;

/**
 * One measured figure: how many units passed through a stage in how long.
 *
 * @param stage what was measured
 * @param count how many units
 * @param unit what a unit is (events, records)
 * @param elapsed how long it took
 * @param note how the time was taken
 */
public record BenchFigure(String stage, long count, String unit, Duration elapsed, String note) {
  public double perSecond() {
    return elapsed.isZero() ? 0 : count / (elapsed.toNanos() / 1e9);
  }

  String row() {
    return String.format("  %-44s %,11d %-7s in %6.2f s  %,10.0f %s/s   %s",
        stage, count, unit, elapsed.toNanos() / 1e9, perSecond(), unit, note);
  }
}
