package org.trajlake.sink;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.NonEmptyString;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.trajlake.runtime.LoopWatch;
import org.trajlake.runtime.PlainClientProperties;
import org.trajlake.runtime.Settings;
import org.trajlake.schema.serde.AvroSerdeConfig;

/**
 * Settings of the iceberg-sink: where Kafka, the registry and the catalog are, when to commit, what
 * graduates into the training table. Build it with {@link #from(Settings)}; every invalid value fails
 * here, naming its key, before anything starts. Kafka client settings can be given as
 * {@code consumer.<key>} / {@code producer.<key>}; catalog properties as {@code catalog.<property>}.
 */
public final class SinkConfig extends AbstractConfig {
  public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
  public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
  public static final String TOPIC_PREFIX = "topic.prefix";
  public static final String GROUP_ID = "group.id";
  public static final String COMMIT_INTERVAL_MS = "commit.interval.ms";
  public static final String COMMIT_MAX_RECORDS = "commit.max.records";
  public static final String COMMIT_MAX_BYTES = "commit.max.bytes";
  public static final String TARGET_FILE_SIZE = "write.target.file.size.bytes";
  public static final String OUTCOMES_TABLE = "sink.outcomes.table";
  public static final String POLL_MS = "sink.poll.ms";
  public static final String WRITE_THREADS = "sink.write.threads";
  public static final String RETRY_INITIAL_MS = "sink.retry.initial.ms";
  public static final String RETRY_MAX_MS = "sink.retry.max.ms";
  public static final String STALL_MS = "sink.stall.ms";
  public static final String METRICS_HOST = "metrics.host";
  public static final String METRICS_PORT = "metrics.port";
  public static final String CONSUMER_PREFIX = "consumer.";
  public static final String PRODUCER_PREFIX = "producer.";

  public static final String DEFAULT_GROUP_ID = "trajlake-sink";
  public static final int DEFAULT_METRICS_PORT = 9404;

  private static final ConfigDef CONFIG_DEF = Graduation.define(CatalogSettings.define(new ConfigDef()
      .define(BOOTSTRAP_SERVERS, Type.STRING, "127.0.0.1:9092", new NonEmptyString(), Importance.HIGH,
          "Kafka bootstrap servers.")
      .define(SCHEMA_REGISTRY_URL, Type.STRING, "http://127.0.0.1:8081/apis/ccompat/v7", new NonEmptyString(),
          Importance.HIGH, "Confluent-compatible schema registry URL (Apicurio: .../apis/ccompat/v7).")
      .define(TOPIC_PREFIX, Type.STRING, "trajlake.", Importance.MEDIUM,
          "Prefix of every topic name: the sink reads <prefix>trajectories.rewarded and <prefix>outcomes and "
              + "dead-letters to <prefix>dlq.")
      .define(GROUP_ID, Type.STRING, DEFAULT_GROUP_ID, new NonEmptyString(), Importance.HIGH,
          "Kafka consumer group; instances with the same group share the partitions. Its Kafka offsets are "
              + "advisory (lag monitoring): the sink resumes from the offsets in its last Iceberg snapshot.")
      .define(COMMIT_INTERVAL_MS, Type.LONG, 60_000L, Range.between(100, 86_400_000), Importance.HIGH,
          "Longest time between the first record of a batch and its Iceberg commit.")
      .define(COMMIT_MAX_RECORDS, Type.INT, 200_000, Range.between(1, 100_000_000), Importance.MEDIUM,
          "Commit as soon as a batch holds this many records.")
      .define(COMMIT_MAX_BYTES, Type.LONG, 256L << 20, Range.between(1024, 1L << 40), Importance.MEDIUM,
          "Commit as soon as a batch holds this many bytes of Kafka record values (the batch is held in memory "
              + "until its commit, so this bounds the sink's heap).")
      .define(TARGET_FILE_SIZE, Type.LONG, 128L << 20, Range.between(1L << 20, 1L << 40), Importance.MEDIUM,
          "Target size of a data file of a table the sink creates (Iceberg write.target-file-size-bytes); "
              + "trajlake compact rewrites smaller files up to it.")
      .define(WRITE_THREADS, Type.INT, 1, Range.between(1, 64), Importance.MEDIUM,
          "Writers that write a batch's data files at once, each a slice of the batch (more threads, more and "
              + "smaller files per commit; trajlake compact merges them). Raise it with cores to spare.")
      .define(OUTCOMES_TABLE, Type.BOOLEAN, true, Importance.MEDIUM,
          "Also append every outcome to the outcomes table.")
      .define(POLL_MS, Type.LONG, 200L, Range.between(1, 60_000), Importance.LOW,
          "How long a poll waits for records when there are none.")
      .define(RETRY_INITIAL_MS, Type.LONG, 500L, Range.between(1, 3_600_000), Importance.MEDIUM,
          "First wait before a failed commit (catalog or storage unreachable) is tried again; doubled up to "
              + "sink.retry.max.ms.")
      .define(RETRY_MAX_MS, Type.LONG, 30_000L, Range.between(1, 3_600_000), Importance.MEDIUM,
          "Longest wait between two attempts to commit a batch.")
      .define(STALL_MS, Type.LONG, 120_000L, LoopWatch.stallSetting(), Importance.LOW,
          "How long the sink's loop may go without progress (a poll returning, a record taken, a row written, a "
              + "commit done, a retry begun) before it counts as stuck: /health answers DOWN with the reason and "
              + "the log gets the stacks of its threads. A catalog or object store that stops answering without a "
              + "timeout would otherwise leave the sink silent and reported healthy. Longer than sink.retry.max.ms. "
              + "0: off.")
      .define(METRICS_HOST, Type.STRING, "127.0.0.1", Importance.LOW, "Address of the Prometheus endpoint.")
      .define(METRICS_PORT, Type.INT, DEFAULT_METRICS_PORT, Range.between(-1, 65535), Importance.LOW,
          "Port of the Prometheus endpoint (/metrics, /health); 0 picks a free port, -1 turns it off.")));

  private final CatalogSettings catalog;
  private final Graduation graduation;
  private final Map<String, String> consumerOverrides;
  private final Map<String, String> producerOverrides;

  SinkConfig(Map<String, String> values, Map<String, String> catalogProperties, Map<String, String> consumerOverrides,
      Map<String, String> producerOverrides) {
    super(CONFIG_DEF, values, false);
    if (getLong(RETRY_MAX_MS) < getLong(RETRY_INITIAL_MS)) {
      throw new ConfigException(RETRY_MAX_MS, getLong(RETRY_MAX_MS),
          "must be at least " + RETRY_INITIAL_MS + " (" + getLong(RETRY_INITIAL_MS) + ")");
    }
    // A wait between two attempts is not a stall: the watch must allow at least the longest one.
    if (getLong(STALL_MS) != 0 && getLong(STALL_MS) <= getLong(RETRY_MAX_MS)) {
      throw new ConfigException(STALL_MS, getLong(STALL_MS),
          "must be 0 (off) or longer than " + RETRY_MAX_MS + " (" + getLong(RETRY_MAX_MS) + ")");
    }
    Map<String, String> resolved = new HashMap<>();
    values.forEach(resolved::put);
    for (String key : List.of(CatalogSettings.NAME, CatalogSettings.NAMESPACE, CatalogSettings.IMPL,
        CatalogSettings.URI, CatalogSettings.WAREHOUSE)) {
      resolved.put(key, getString(key));
    }
    this.catalog = CatalogSettings.of(resolved, catalogProperties);
    this.graduation = Graduation.of(this);
    this.consumerOverrides = Map.copyOf(consumerOverrides);
    this.producerOverrides = Map.copyOf(producerOverrides);
  }

  /** The sink's settings from flags, {@code TRAJLAKE_*} variables and the config file. */
  public static SinkConfig from(Settings settings) {
    return settings.build(CONFIG_DEF, values -> new SinkConfig(values, settings.prefixed(CatalogSettings.PREFIX),
        settings.prefixed(CONSUMER_PREFIX), settings.prefixed(PRODUCER_PREFIX)));
  }

  /** Every defined key with its type, default, validator and doc (for docs and the CLI). */
  public static ConfigDef configDef() {
    return new ConfigDef(CONFIG_DEF);
  }

  public String bootstrapServers() {
    return getString(BOOTSTRAP_SERVERS);
  }

  public String topicPrefix() {
    return getString(TOPIC_PREFIX);
  }

  public String groupId() {
    return getString(GROUP_ID);
  }

  public CatalogSettings catalog() {
    return catalog;
  }

  public Graduation graduation() {
    return graduation;
  }

  public CommitTriggers commitTriggers() {
    return new CommitTriggers(Duration.ofMillis(getLong(COMMIT_INTERVAL_MS)), getInt(COMMIT_MAX_RECORDS),
        getLong(COMMIT_MAX_BYTES));
  }

  public long targetFileSizeBytes() {
    return getLong(TARGET_FILE_SIZE);
  }

  public int writeThreads() {
    return getInt(WRITE_THREADS);
  }

  public boolean outcomesTable() {
    return getBoolean(OUTCOMES_TABLE);
  }

  public Duration pollTimeout() {
    return Duration.ofMillis(getLong(POLL_MS));
  }

  public Duration retryInitial() {
    return Duration.ofMillis(getLong(RETRY_INITIAL_MS));
  }

  public Duration retryMax() {
    return Duration.ofMillis(getLong(RETRY_MAX_MS));
  }

  /** How long the loop may go without progress before {@code /health} reports it stuck; zero: never. */
  public Duration stallTimeout() {
    return Duration.ofMillis(getLong(STALL_MS));
  }

  public String metricsHost() {
    return getString(METRICS_HOST);
  }

  public int metricsPort() {
    return getInt(METRICS_PORT);
  }

  /** The serde settings for the registry client. */
  public Map<String, Object> serdeConfig() {
    return Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, getString(SCHEMA_REGISTRY_URL));
  }

  /** The input consumer ({@link PlainClientProperties#consumer}), tuned for large batches, then any override. */
  public Map<String, Object> consumerProperties() {
    Map<String, Object> props = PlainClientProperties.consumer(bootstrapServers(), groupId());
    // The Iceberg snapshot is the source of truth; Kafka offsets are committed after it, for monitoring.
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2_000);
    props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 << 20);
    props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 << 20);
    // Writing the files of a large batch may take a while between two polls.
    props.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 600_000);
    // Eager rebalancing: every partition is revoked (after a commit) and sought again from the tables.
    props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, RangeAssignor.class.getName());
    props.putAll(consumerOverrides);
    return props;
  }

  /** The dead-letter producer ({@link PlainClientProperties#deadLetterProducer}), then any override. */
  public Map<String, Object> producerProperties() {
    Map<String, Object> props = PlainClientProperties.deadLetterProducer(bootstrapServers(), groupId());
    props.putAll(producerOverrides);
    return props;
  }
}
