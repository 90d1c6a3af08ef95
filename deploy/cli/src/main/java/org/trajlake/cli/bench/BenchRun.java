package org.trajlake.cli.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One benchmark's part of a {@code bench all} report: what it was run with and what it measured,
 * or why it failed (the suite goes on to the next benchmark and the report says so).
 *
 * @param benchmark {@code streams}, {@code indexing}, ...
 * @param runId the run's id, as in its own JSON report and its topic and index names
 * @param parameters the sizes it ran with
 * @param figures what it measured (empty when it failed before measuring)
 * @param samples every sample of the latency figures that keep them
 * @param elapsed how long the benchmark took, set-up included
 * @param error why it failed, empty when it did not
 */
public record BenchRun(String benchmark, String runId, Map<String, Object> parameters, List<BenchFigure> figures,
    List<LatencySamples> samples, Duration elapsed, Optional<String> error) {
  public BenchRun {
    parameters = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(parameters));
    figures = List.copyOf(figures);
    samples = List.copyOf(samples);
  }

  public List<BenchTargets.Verdict> verdicts() {
    return BenchTargets.check(benchmark, parameters, figures);
  }
}
