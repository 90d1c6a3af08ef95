package org.trajlake.sink;

import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trajlake.runtime.LoopWatch;
import org.trajlake.runtime.MetricsEndpoint;
import org.trajlake.runtime.RunningLoop;
import org.trajlake.runtime.ServiceMain;
import org.trajlake.runtime.StreamsService;
import org.trajlake.schema.Outcome;
import org.trajlake.schema.RewardedTrajectory;
import org.trajlake.schema.Topics;
import org.trajlake.schema.serde.AvroSerdeConfig;
import org.trajlake.sink.commit.CommitObserver;
import org.trajlake.sink.commit.SinkLoop;
import org.trajlake.sink.commit.SinkMetrics;
import org.trajlake.sink.commit.SinkSummary;
import org.trajlake.sink.table.SinkTables;
import org.trajlake.sink.table.TableSchemas;

/** Starts the iceberg-sink: checks topics and catalog, creates or evolves the tables, runs the loop. */
public final class SinkApp {
  public static final String NAME = "iceberg-sink";
  private static final Logger LOG = LoggerFactory.getLogger(SinkApp.class);
  private static final Duration TOPIC_CHECK_TIMEOUT = Duration.ofSeconds(30);

  private SinkApp() {}

  /** {@code [--config FILE] [--set KEY=VALUE]...}; commits what it has and stops on SIGTERM or Ctrl-C. */
  public static void main(String[] args) {
    ServiceMain.run(NAME, args, settings -> start(SinkConfig.from(settings)));
  }

  /**
   * Checks the topics, opens the catalog, creates or evolves the tables, and starts the loop on a
   * thread of its own with the Prometheus endpoint; close the result to commit and stop.
   *
   * @throws IllegalStateException naming what to fix: a missing topic, a catalog out of reach, a table
   *     whose history has no sink snapshot
   */
  public static RunningSink start(SinkConfig config) {
    return start(config, CommitObserver.NONE);
  }

  /** {@link #start(SinkConfig)} with an observer of each commit's two moments (for crash tests). */
  public static RunningSink start(SinkConfig config, CommitObserver observer) {
    Topics topics = Topics.create(config.topicPrefix(), config.serdeConfig());
    String rewarded = topics.rewardedTrajectories().name();
    String outcomes = topics.outcomes().name();
    List<String> required = new ArrayList<>(List.of(rewarded, topics.deadLetters().name()));
    if (config.outcomesTable()) {
      required.add(outcomes);
    }
    StreamsService.requireTopics(config.consumerProperties(), required, TOPIC_CHECK_TIMEOUT);

    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().commonTags("service", NAME);
    List<AutoCloseable> resources = new ArrayList<>();
    try {
      Catalog catalog = openCatalog(config);
      if (catalog instanceof AutoCloseable closeable) {
        resources.add(closeable);
      }
      SinkTables tables = new SinkTables(catalog, config.catalog().namespace(),
          SinkTables.defaultProperties(config.targetFileSizeBytes()));
      Table trajectories = tables.trajectories(TableSchemas.trajectories(RewardedTrajectory.getClassSchema()));
      SinkTables.evolve(trajectories, TableSchemas.trajectories(RewardedTrajectory.getClassSchema()));
      requireSinkHistory(trajectories, rewarded);
      Table outcomeTable = null;
      if (config.outcomesTable()) {
        outcomeTable = tables.outcomes(TableSchemas.outcomes(Outcome.getClassSchema()));
        SinkTables.evolve(outcomeTable, TableSchemas.outcomes(Outcome.getClassSchema()));
        requireSinkHistory(outcomeTable, outcomes);
      }

      KafkaProducer<byte[], byte[]> producer =
          new KafkaProducer<>(config.producerProperties(), new ByteArraySerializer(), new ByteArraySerializer());
      resources.add(producer);
      KafkaConsumer<byte[], byte[]> consumer =
          new KafkaConsumer<>(config.consumerProperties(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
      KafkaClientMetrics consumerMetrics = new KafkaClientMetrics(consumer);
      consumerMetrics.bindTo(registry);
      resources.add(consumerMetrics);

      LoopWatch watch = LoopWatch.start(NAME, SinkConfig.STALL_MS, config.stallTimeout(), SinkLoop.threadPrefixes());
      resources.add(watch);
      SinkLoop loop = SinkLoop.create(config, consumer, producer, topics, trajectories, outcomeTable,
          new AvroSerdeConfig(config.serdeConfig()).schemaRegistry(), new SinkMetrics(registry), observer, watch);
      Thread thread = new Thread(loop.sink(), NAME);
      MetricsEndpoint endpoint = config.metricsPort() < 0 ? null
          : MetricsEndpoint.start(config.metricsHost(), config.metricsPort(), registry,
              () -> thread.isAlive() && loop.sink().healthy(), loop.sink()::problem);
      thread.start();
      LOG.info("{} running (group {}: {} into {}{}){}", NAME, config.groupId(), rewarded, trajectories.name(),
          outcomeTable == null ? "" : ", " + outcomes + " into " + outcomeTable.name(),
          endpoint == null ? "" : "; metrics at http://" + config.metricsHost() + ":" + endpoint.port() + "/metrics");
      return new RunningSink(NAME, loop.sink(), thread, endpoint, registry, resources);
    } catch (RuntimeException e) {
      RunningLoop.closeAfterFailedStart(resources, registry, e);
      throw e;
    }
  }

  private static Catalog openCatalog(SinkConfig config) {
    try {
      return config.catalog().open();
    } catch (RuntimeException e) {
      throw new IllegalStateException("cannot open the Iceberg catalog " + CatalogSettings.URI + "="
          + config.catalog().properties().get("uri") + " (" + CatalogSettings.WAREHOUSE + "="
          + config.catalog().properties().get("warehouse") + "): " + e.getMessage(), e);
    }
  }

  /**
   * A table with snapshots but none from the sink (another writer, or its history expired by a tool that
   * does not keep the sink's last snapshot) gives no offsets to resume from: reading the topic from the
   * start would duplicate rows, so the sink refuses to guess.
   */
  private static void requireSinkHistory(Table table, String topic) {
    if (SinkSummary.hasForeignHistoryOnly(table, topic)) {
      throw new IllegalStateException(table.name() + " has snapshots but none committed by the sink from " + topic
          + ", so there are no offsets to resume from. Point the sink at another table (catalog.namespace) or "
          + "restore the table's history.");
    }
  }
}
