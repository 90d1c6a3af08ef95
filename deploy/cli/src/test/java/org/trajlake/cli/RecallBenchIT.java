package org.trajlake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.trajlake.cli.bench.RecallBenchmark;
import org.trajlake.stack.Component;
import org.trajlake.stack.LocalStack;
import org.trajlake.testkit.RealServers;

/**
 * {@code trajlake bench recall} on a real OpenSearch node, at a small size: every case measured,
 * sequentially and under load, written to the JSON report, and the benchmark's indexes and index
 * templates removed.
 */
@RealServers(Component.OPENSEARCH)
class RecallBenchIT {
  private static final int QUERIES = 40;
  private static final int CLIENTS = 4;

  @Test
  void measuresEveryCaseAloneAndUnderLoadAndReportsThem(LocalStack stack) throws Exception {
    // When the benchmark runs against the running node with a small corpus
    BenchRunReport report = BenchRunReport.run(stack, "bench", "recall", "--trajectories", "600", "--queries",
        String.valueOf(QUERIES), "--clients", String.valueOf(CLIENTS));

    // Then it succeeds, and its report holds every case with every query answered
    for (String name : List.of(RecallBenchmark.RAW_KNN, RecallBenchmark.HYBRID_VECTOR, RecallBenchmark.HYBRID_TEXT,
        RecallBenchmark.BM25, RecallBenchmark.VECTOR)) {
      assertThat(report.value(name + " p95")).as(name).isPositive();
      assertThat(report.note(name + " p95")).as(name).startsWith(QUERIES + " queries");
    }
    for (String name : List.of(RecallBenchmark.RAW_KNN, RecallBenchmark.HYBRID_VECTOR, RecallBenchmark.HYBRID_TEXT)) {
      String stage = RecallBenchmark.underLoadStage(name, CLIENTS);
      assertThat(report.figure(stage).path("unit").asText()).as(stage).isEqualTo("queries/s");
      assertThat(report.value(stage)).as(stage).isPositive();
      assertThat(report.note(stage)).as(stage).startsWith(QUERIES + " queries in");
      assertThat(report.value(stage + " p95")).as(stage).isGreaterThanOrEqualTo(report.value(stage + " p50"));
    }
    // the graph found the exact neighbours of a corpus this small
    assertThat(report.value(RecallBenchmark.KNN_RECALL)).isGreaterThan(95.0);
    // and its indexes and their templates are gone
    report.assertNoIndexOrTemplateLeft(stack.endpoints());
  }
}
