package org.trajlake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.trajlake.cli.bench.SinkBenchmark;
import org.trajlake.cli.bench.StreamsBenchmark;
import org.trajlake.stack.Component;
import org.trajlake.stack.LocalStack;
import org.trajlake.testkit.RealServers;

/**
 * {@code trajlake bench streams} and {@code trajlake bench sink} on the real broker, registry and
 * Iceberg catalog, at small sizes: every figure reaches the report with every record counted, and
 * the runs' topics and tables are removed.
 */
@RealServers({Component.KAFKA, Component.REGISTRY, Component.ICEBERG})
class StreamsAndSinkBenchIT {
  @Test
  void streamsMeasuresEveryStageOverTheWholeBacklog(LocalStack stack) throws Exception {
    // When the streams benchmark runs on 300 trajectories of 10 steps
    BenchRunReport report = BenchRunReport.run(stack, "bench", "streams", "--trajectories", "300", "--steps", "10");

    // Then every stage has a rate over all 3,000 events (the run itself fails on a missing or extra record)
    assertThat(report.note("produce (idempotent, acks=all, Avro)")).startsWith("3,000 events in");
    for (String stage : List.of(StreamsBenchmark.INGEST_ALONE, StreamsBenchmark.PIPELINE)) {
      assertThat(report.value(stage)).as(stage).isPositive();
    }
    assertThat(report.note(StreamsBenchmark.PIPELINE)).startsWith("3,000 events in");
    // And its topics, the warm-up's too, are gone
    BenchRunReport.assertNoTopicLeft(stack.endpoints(), "bench." + report.runId() + ".");
  }

  @Test
  void sinkMeasuresTheBacklogTheExportsAndTheColdLag(LocalStack stack) throws Exception {
    // When the sink benchmark runs on 400 trajectories, after 100 unmeasured, with a short trickle
    BenchRunReport report = BenchRunReport.run(stack, "bench", "sink", "--trajectories", "400", "--warm-up", "100",
        "--trickle-seconds", "4", "--cold-interval", "1");

    // Then all 400 rows were written and read back, and the trickle's records reached snapshots
    assertThat(report.note(SinkBenchmark.ROWS_WRITTEN)).startsWith("400 trajectories in");
    for (String stage : List.of(SinkBenchmark.ROWS_WRITTEN, SinkBenchmark.EXPORT_READ,
        SinkBenchmark.EXPORT_READ_COMPACTED, SinkBenchmark.COLD_LAG_MAX)) {
      assertThat(report.value(stage)).as(stage).isPositive();
    }
    // (a backlog this small may leave compaction nothing to rewrite: its figure is there, at any rate)
    assertThat(report.note(SinkBenchmark.COMPACTION)).contains(" delete files -> ");
    // And its topics are gone, and its tables, the warm-up's too, with their files
    BenchRunReport.assertNoTopicLeft(stack.endpoints(), "bench." + report.runId() + ".");
    BenchRunReport.assertNoNamespaceLeft(stack.endpoints(), "bench_" + report.runId());
    BenchRunReport.assertNoNamespaceLeft(stack.endpoints(), "bench_" + report.runId() + "_warmup");
  }
}
