package org.trajlake.sink.commit;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.Table;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.trajlake.runtime.DeadLetterProducer;
import org.trajlake.runtime.LoopWatch;
import org.trajlake.schema.Topics;
import org.trajlake.schema.registry.SchemaRegistry;
import org.trajlake.schema.serde.ConfluentGenericDecoder;
import org.trajlake.sink.SinkApp;
import org.trajlake.sink.SinkConfig;

/** Wires the loop's collaborators from the config; the loop itself is {@link IcebergSink}. */
public record SinkLoop(IcebergSink sink) {
  /**
   * @param outcomes the outcomes table, or null when it is turned off
   * @param watch told of the loop's progress (see {@link #threadPrefixes})
   */
  public static SinkLoop create(SinkConfig config, Consumer<byte[], byte[]> consumer, Producer<byte[], byte[]> producer,
      Topics topics, Table trajectories, Table outcomes, SchemaRegistry registry, SinkMetrics metrics, CommitObserver observer,
      LoopWatch watch) {
    RetryPolicy retry = new RetryPolicy(config.retryInitial(), config.retryMax(), watch::beat);
    List<TableLane> lanes = new ArrayList<>();
    lanes.add(new TrajectoryLane(topics.rewardedTrajectories().name(), trajectories, config.writeThreads(), retry, observer,
        config.graduation()));
    if (outcomes != null) {
      lanes.add(new OutcomeLane(topics.outcomes().name(), outcomes, config.writeThreads(), retry, observer));
    }
    Clock clock = Clock.systemUTC();
    IcebergSink sink = new IcebergSink(consumer, lanes, new ConfluentGenericDecoder(registry),
        new DeadLetterProducer(producer, topics.deadLetters().name(), SinkApp.NAME, clock), config.commitTriggers(), metrics,
        config.pollTimeout(), retry, clock, watch);
    return new SinkLoop(sink);
  }

  /**
   * Where a stuck sink's time goes: its loop thread and row writers ({@code iceberg-sink*}), and
   * Iceberg's own pools, which write manifests and upload to S3.
   */
  public static List<String> threadPrefixes() {
    return List.of(SinkApp.NAME, "iceberg-worker-pool", "iceberg-s3fileio");
  }
}
