package org.trajlake.runtime;

import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The settings every Kafka Streams service of the project shares; each service's config class
 * extends it with its own keys. Any Kafka Streams setting can also be given as {@code streams.<key>}
 * in the config file, which wins over what is chosen here.
 */
public abstract class StreamsAppConfig extends AbstractConfig {
  public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
  public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
  public static final String TOPIC_PREFIX = "topic.prefix";
  public static final String APPLICATION_ID = "application.id";
  public static final String STATE_DIR = "state.dir";
  public static final String NUM_STREAM_THREADS = "num.stream.threads";
  public static final String COMMIT_INTERVAL_MS = "commit.interval.ms";
  public static final String REPLICATION_FACTOR = "replication.factor";
  public static final String METRICS_HOST = "metrics.host";
  public static final String METRICS_PORT = "metrics.port";
  /** Free keys under this prefix go to Kafka Streams as they are. */
  public static final String STREAMS_PREFIX = "streams.";

  private final Map<String, String> streamsOverrides;

  protected StreamsAppConfig(ConfigDef definition, Map<String, String> values, Map<String, String> streamsOverrides) {
    super(definition, values, false);
    this.streamsOverrides = Map.copyOf(streamsOverrides);
  }

  /** The shared keys, with the service's own application id and metrics port as defaults. */
  protected static ConfigDef commonDefinition(String defaultApplicationId, int defaultMetricsPort) {
    return new ConfigDef()
        .define(BOOTSTRAP_SERVERS, Type.STRING, "127.0.0.1:9092", Importance.HIGH, "Kafka bootstrap servers.")
        .define(SCHEMA_REGISTRY_URL, Type.STRING, "http://127.0.0.1:8081/apis/ccompat/v7", Importance.HIGH,
            "Confluent-compatible schema registry URL (Apicurio: .../apis/ccompat/v7).")
        .define(TOPIC_PREFIX, Type.STRING, "trajlake.", Importance.MEDIUM, "Prefix of every topic name.")
        .define(APPLICATION_ID, Type.STRING, defaultApplicationId, Importance.HIGH,
            "Kafka Streams application id: the consumer group, and the prefix of internal topics. Instances "
                + "with the same id share the partitions.")
        .define(STATE_DIR, Type.STRING, ".trajlake/streams", Importance.MEDIUM,
            "Directory of the local state stores (RocksDB); rebuilt from changelogs when lost.")
        .define(NUM_STREAM_THREADS, Type.INT, 1, Range.atLeast(1), Importance.MEDIUM,
            "Stream threads in this instance; partitions are spread over all threads of all instances.")
        .define(COMMIT_INTERVAL_MS, Type.LONG, 100L, Range.atLeast(1), Importance.MEDIUM,
            "How often a transaction commits: the floor of end-to-end latency under exactly-once.")
        .define(REPLICATION_FACTOR, Type.INT, -1, Range.atLeast(-1), Importance.LOW,
            "Replication of internal topics (changelogs); -1 uses the broker default.")
        .define(METRICS_HOST, Type.STRING, "127.0.0.1", Importance.LOW, "Address of the Prometheus endpoint.")
        .define(METRICS_PORT, Type.INT, defaultMetricsPort, Range.between(-1, 65535), Importance.LOW,
            "Port of the Prometheus endpoint (/metrics, /health); 0 picks a free port, -1 turns it off.");
  }

  public String bootstrapServers() {
    return getString(BOOTSTRAP_SERVERS);
  }

  public String schemaRegistryUrl() {
    return getString(SCHEMA_REGISTRY_URL);
  }

  public String topicPrefix() {
    return getString(TOPIC_PREFIX);
  }

  public String applicationId() {
    return getString(APPLICATION_ID);
  }

  public String metricsHost() {
    return getString(METRICS_HOST);
  }

  public int metricsPort() {
    return getInt(METRICS_PORT);
  }

  /** The serde settings for {@code Topics.create}. */
  public Map<String, Object> serdeConfig() {
    return Map.of(SCHEMA_REGISTRY_URL, schemaRegistryUrl());
  }

  /** Kafka Streams properties: exactly-once, the keys above, then any {@code streams.*} override. */
  public Properties streamsProperties() {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId());
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    // Read-process-write in one transaction: an input offset commits only with the outputs and
    // state changes it caused, so a crash never duplicates or loses an output.
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.STATE_DIR_CONFIG, getString(STATE_DIR));
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, getInt(NUM_STREAM_THREADS));
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, getLong(COMMIT_INTERVAL_MS));
    props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, getInt(REPLICATION_FACTOR));
    // Trajectory steps are text: lz4 roughly halves them on the wire for little CPU.
    props.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
    props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 5);
    // The record cache in front of the state stores (shared by the threads of an instance): larger
    // than the 10 MB default so a backlog's hot trajectories stay in memory between commits.
    props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 64L * 1024 * 1024);
    // An instance that dies (kill -9, lost machine) hands its partitions over after 10 s instead of
    // the consumer default of 45 s; heartbeats every 3 s keep a live but busy instance in the group.
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 10_000);
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 3_000);
    // A new application reads its input from the start: nothing written before it started is skipped.
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    props.putAll(streamsOverrides);
    return props;
  }
}
