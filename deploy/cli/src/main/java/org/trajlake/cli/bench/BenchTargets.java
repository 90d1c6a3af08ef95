package org.trajlake.cli.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The targets of issues 3, 4 and 5, in one place: each benchmark command prints its figures against
 * them, {@code bench all} writes them into its report, and the README quotes them. A target names
 * the figure (stage) it applies to by the benchmark's own constant, so a renamed figure cannot
 * silently lose its target.
 */
public final class BenchTargets {
  /** Stages of the indexing figures, as {@code bench indexing} names them (scenario + ", sustained"). */
  public static final String INDEXING_EMBEDDED = "in-process embeddings, sustained";
  public static final String INDEXING_VECTORS = "agent vectors (384 dims), sustained";

  /** Which side of the threshold meets the target. */
  public enum Bound {
    AT_LEAST("≥"), AT_MOST("≤");

    private final String symbol;

    Bound(String symbol) {
      this.symbol = symbol;
    }
  }

  /**
   * One target.
   *
   * @param stage the figure it applies to
   * @param bound whether the figure must be at least or at most the threshold
   * @param threshold in the figure's unit
   * @param unit the figure's unit
   * @param source where the target is set, for the reader of the report
   */
  public record Target(String stage, Bound bound, double threshold, String unit, String source) {
    public boolean metBy(double value) {
      return !Double.isNaN(value) && (bound == Bound.AT_LEAST ? value >= threshold : value <= threshold);
    }

    /** For example {@code ≥ 20,000 events/s}. */
    public String text() {
      String number = threshold == Math.rint(threshold) ? String.format(Locale.ROOT, "%,.0f", threshold)
          : String.format(Locale.ROOT, "%,.1f", threshold);
      return bound.symbol + " " + number + " " + unit;
    }
  }

  /**
   * A figure held against its target.
   *
   * @param benchmark the benchmark
   * @param target the target
   * @param figure the figure measured, empty when the run did not produce it
   */
  public record Verdict(String benchmark, Target target, Optional<BenchFigure> figure) {
    public boolean met() {
      return figure.isPresent() && target.metBy(figure.get().value());
    }

    /** {@code met}, {@code not met}, or {@code no figure}. */
    public String status() {
      return figure.isEmpty() ? "no figure" : met() ? "met" : "not met";
    }
  }

  private BenchTargets() {}

  /** The targets of one benchmark; some depend on its parameters (the sink's commit interval). */
  public static List<Target> of(String benchmark, Map<String, Object> parameters) {
    return switch (benchmark) {
      case "streams" -> List.of(
          new Target(StreamsBenchmark.INGEST_ALONE, Bound.AT_LEAST, 20_000, "events/s", "issue 3"),
          new Target(StreamsBenchmark.PIPELINE, Bound.AT_LEAST, 20_000, "events/s", "issue 3"));
      case "indexing" -> List.of(
          new Target(INDEXING_EMBEDDED, Bound.AT_LEAST, 150, "trajectories/s", "issue 4"),
          new Target(INDEXING_VECTORS, Bound.AT_LEAST, 2_000, "trajectories/s", "issue 4"));
      case "recall" -> List.of(
          new Target(RecallBenchmark.HYBRID_VECTOR + " p95", Bound.AT_MOST, 30, "ms", "issue 4"),
          new Target(RecallBenchmark.HYBRID_TEXT + " p95", Bound.AT_MOST, 30, "ms", "issue 4"),
          new Target(RecallBenchmark.HYBRID_OVER_RAW, Bound.AT_MOST, 1.5, "x", "issue 4"));
      case "freshness" -> List.of(
          new Target(FreshnessBenchmark.FRESHNESS + " p95", Bound.AT_MOST, 2_000, "ms", "issue 4"),
          // Not a target of the pipeline but a condition of the measurement: the issue asks for the
          // freshness while at least this background load runs.
          new Target(FreshnessBenchmark.BACKGROUND, Bound.AT_LEAST, 100, "trajectories/s", "issue 4 (load)"));
      case "sink" -> List.of(
          new Target(SinkBenchmark.ROWS_WRITTEN, Bound.AT_LEAST, 20_000, "trajectories/s", "issue 5"),
          new Target(SinkBenchmark.EXPORT_READ, Bound.AT_LEAST, 200_000, "trajectories/s", "issue 5"),
          new Target(SinkBenchmark.EXPORT_READ_COMPACTED, Bound.AT_LEAST, 200_000, "trajectories/s", "issue 5"),
          new Target(SinkBenchmark.COLD_LAG_MAX, Bound.AT_MOST, coldLagLimitMillis(parameters), "ms",
              "issue 5: commit interval + 10 s"));
      default -> List.of();
    };
  }

  /** Every target of a benchmark against the figures of its run, in the order of the targets. */
  public static List<Verdict> check(String benchmark, Map<String, Object> parameters, List<BenchFigure> figures) {
    List<Verdict> verdicts = new ArrayList<>();
    for (Target target : of(benchmark, parameters)) {
      Optional<BenchFigure> figure = figures.stream().filter(f -> f.stage().equals(target.stage())).findFirst();
      verdicts.add(new Verdict(benchmark, target, figure));
    }
    return verdicts;
  }

  private static double coldLagLimitMillis(Map<String, Object> parameters) {
    Object interval = parameters.getOrDefault("cold_interval_s", 10);
    return (Double.parseDouble(interval.toString()) + 10) * 1000;
  }
}
