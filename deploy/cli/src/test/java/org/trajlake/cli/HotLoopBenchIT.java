package org.trajlake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.trajlake.cli.bench.FreshnessBenchmark;
import org.trajlake.stack.Component;
import org.trajlake.stack.LocalStack;
import org.trajlake.testkit.RealServers;

/**
 * {@code trajlake bench freshness} and {@code trajlake bench indexing} on the real broker, registry
 * and OpenSearch node, at small sizes: the figures reach the report, every trajectory is counted,
 * and the run's topics, indexes and index templates are removed.
 */
@RealServers({Component.KAFKA, Component.REGISTRY, Component.OPENSEARCH})
class HotLoopBenchIT {
  private static final int PROBES = 6;
  private static final int BACKGROUND_PER_SECOND = 10;

  @Test
  void freshnessTimesEveryProbeUnderABackgroundFleet(LocalStack stack) throws Exception {
    // When the freshness benchmark runs with a few probes over a light fleet
    BenchRunReport report = BenchRunReport.run(stack, "bench", "freshness", "--probes", String.valueOf(PROBES),
        "--probe-threads", "2", "--background", String.valueOf(BACKGROUND_PER_SECOND));

    // Then every probe was recalled and timed, and the fleet ran at about its rate
    String p95 = FreshnessBenchmark.FRESHNESS + " p95";
    assertThat(report.note(p95)).startsWith(PROBES + " probes after");
    assertThat(report.value(p95)).isPositive()
        .isGreaterThanOrEqualTo(report.value(FreshnessBenchmark.FRESHNESS + " p50"));
    assertThat(report.value(FreshnessBenchmark.BACKGROUND)).isGreaterThan(BACKGROUND_PER_SECOND * 0.8);
    // And the run's topics, indexes and templates are gone
    report.assertNoIndexOrTemplateLeft(stack.endpoints());
    BenchRunReport.assertNoTopicLeft(stack.endpoints(), "bench." + report.runId() + ".");
  }

  @Test
  void indexingMeasuresBothScenariosAndIndexesEveryTrajectory(LocalStack stack) throws Exception {
    // When the indexing benchmark runs on small backlogs (each still several bulk requests long)
    BenchRunReport report = BenchRunReport.run(stack, "bench", "indexing", "--embedded", "300", "--with-vectors",
        "400");

    // Then both scenarios have a sustained rate, and every trajectory produced was found in the index
    for (String scenario : List.of("in-process embeddings", "agent vectors (384 dims)")) {
      String sustained = scenario + ", sustained";
      assertThat(report.value(sustained)).as(sustained).isPositive();
      assertThat(report.value(scenario + ", with start-up")).as(scenario).isPositive();
    }
    assertThat(report.note("in-process embeddings, sustained")).startsWith("300 trajectories, 300 indexed");
    assertThat(report.note("agent vectors (384 dims), sustained")).startsWith("400 trajectories, 400 indexed");
    // And the run's topics, indexes (the warm-up's too) and templates are gone
    report.assertNoIndexOrTemplateLeft(stack.endpoints());
    BenchRunReport.assertNoTopicLeft(stack.endpoints(), "bench.indexing." + report.runId() + ".");
  }
}
