package org.trajlake.sink.commit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/** The sink's Prometheus metrics: what came in, what each commit wrote, how long commits and the cold loop took. */
public final class SinkMetrics {
  private final MeterRegistry registry;
  private final Timer commitLatency;
  private final Timer writeLatency;
  private final Timer coldLag;

  public SinkMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.commitLatency = Timer.builder("trajlake_sink_commit_seconds")
        .description("Time of the catalog commit of a batch (files already written)")
        .publishPercentiles(0.5, 0.95, 0.99).register(registry);
    this.writeLatency = Timer.builder("trajlake_sink_write_seconds")
        .description("Time to write a batch's Parquet files").publishPercentiles(0.5, 0.95, 0.99).register(registry);
    this.coldLag = Timer.builder("trajlake_sink_cold_lag_seconds")
        .description("From the oldest record of a batch being written to Kafka to its snapshot being committed")
        .publishPercentiles(0.5, 0.95, 0.99).register(registry);
  }

  void records(String topic, long count) {
    counter("trajlake_sink_records_total", "Records read", "topic", topic).increment(count);
  }

  void deadLettered(String reason) {
    counter("trajlake_sink_dead_letters_total", "Records sent to the dead-letter topic", "reason", reason).increment();
  }

  void fenced(String table) {
    counter("trajlake_sink_fenced_total", "Batches dropped because another writer committed their partitions", "table",
        table).increment();
  }

  void committed(TableLane.Committed commit, long nowMillis) {
    counter("trajlake_sink_commits_total", "Snapshots committed", "table", commit.table()).increment();
    counter("trajlake_sink_rows_written_total", "Rows written", "table", commit.table()).increment(commit.rowsWritten());
    counter("trajlake_sink_rows_replaced_total", "Rows replaced by a newer version", "table", commit.table())
        .increment(commit.rowsReplaced());
    counter("trajlake_sink_filtered_total", "Records that did not graduate", "table", commit.table())
        .increment(commit.filtered());
    counter("trajlake_sink_bytes_written_total", "Bytes of data and delete files written", "table", commit.table())
        .increment(commit.bytes());
    commitLatency.record(Duration.ofNanos(commit.commitNanos()));
    writeLatency.record(Duration.ofNanos(commit.writeNanos()));
    if (commit.oldestRecordTimestamp() != Long.MAX_VALUE) {
      coldLag.record(Duration.ofMillis(Math.max(0, nowMillis - commit.oldestRecordTimestamp())));
    }
  }

  private Counter counter(String name, String description, String tag, String value) {
    return Counter.builder(name).description(description).tag(tag, value).register(registry);
  }
}
