package org.trajlake.recall.indexer;

import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.NonEmptyString;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.trajlake.recall.index.IndexAdmin;
import org.trajlake.recall.index.OpenSearchSettings;
import org.trajlake.recall.index.TextAnalysis;
import org.trajlake.recall.index.VectorGraph;
import org.trajlake.runtime.LoopWatch;
import org.trajlake.runtime.PlainClientProperties;
import org.trajlake.runtime.Settings;
import org.trajlake.schema.serde.AvroSerdeConfig;

/**
 * Settings of the recall-indexer: where Kafka, the registry and OpenSearch are, the consumer group,
 * what is indexed and how failures are retried. Build it with {@link #from(Settings)}; every invalid
 * value fails here, naming its key, before anything starts. Any Kafka client setting can be given
 * as {@code consumer.<key>} or {@code producer.<key>} (the dead-letter producer) in the config file
 * or with {@code --set}; such overrides win over what is chosen here.
 */
public final class IndexerConfig extends AbstractConfig {
  public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
  public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
  public static final String TOPIC_PREFIX = "topic.prefix";
  public static final String GROUP_ID = "group.id";
  public static final String INDEX_STEPS = "indexer.index.steps";
  public static final String EMBED_STEPS = "indexer.embed.steps";
  public static final String BATCH_MAX_RECORDS = "indexer.batch.max.records";
  public static final String POLL_MS = "indexer.poll.ms";
  public static final String BULK_CONCURRENCY = "indexer.bulk.concurrency";
  public static final String RETRY_INITIAL_MS = "indexer.retry.initial.ms";
  public static final String RETRY_MAX_MS = "indexer.retry.max.ms";
  public static final String STALL_MS = "indexer.stall.ms";
  public static final String INDEX_SHARDS = "index.shards";
  public static final String INDEX_REPLICAS = "index.replicas";
  public static final String INDEX_REFRESH_INTERVAL = "index.refresh.interval";
  public static final String INDEX_DERIVED_SOURCE = "index.knn.derived.source";
  public static final String INDEX_KNN_M = "index.knn.m";
  public static final String INDEX_KNN_EF_CONSTRUCTION = "index.knn.ef.construction";
  public static final String INDEX_TEXT_ANALYSIS = "index.text.analysis";
  public static final String EMBEDDING_CACHE = "indexer.embedding.cache";
  public static final String METRICS_HOST = "metrics.host";
  public static final String METRICS_PORT = "metrics.port";
  /** Free keys under these prefixes go to the Kafka consumer and the dead-letter producer as they are. */
  public static final String CONSUMER_PREFIX = "consumer.";
  public static final String PRODUCER_PREFIX = "producer.";

  public static final String DEFAULT_GROUP_ID = "trajlake-indexer";
  public static final int DEFAULT_METRICS_PORT = 9403;

  // OpenSearch time units; -1 turns periodic refresh off (documents become visible on flush only).
  private static final Pattern TIME_VALUE = Pattern.compile("-1|\\d+(nanos|micros|ms|s|m|h|d)");

  private static final ConfigDef CONFIG_DEF = OpenSearchSettings.define(new ConfigDef()
      .define(BOOTSTRAP_SERVERS, Type.STRING, "127.0.0.1:9092", new NonEmptyString(), Importance.HIGH,
          "Kafka bootstrap servers.")
      .define(SCHEMA_REGISTRY_URL, Type.STRING, "http://127.0.0.1:8081/apis/ccompat/v7", new NonEmptyString(),
          Importance.HIGH, "Confluent-compatible schema registry URL (Apicurio: .../apis/ccompat/v7).")
      .define(TOPIC_PREFIX, Type.STRING, "trajlake.", Importance.MEDIUM,
          "Prefix of every topic name: the indexer reads <prefix>trajectories and <prefix>trajectories.rewarded "
              + "and dead-letters to <prefix>dlq.")
      .define(GROUP_ID, Type.STRING, DEFAULT_GROUP_ID, new NonEmptyString(), Importance.HIGH,
          "Kafka consumer group; instances with the same group share the partitions. A new group starts from "
              + "the beginning of the topics and indexes everything (writes are idempotent).")
      .define(INDEX_STEPS, Type.BOOLEAN, true, Importance.MEDIUM,
          "Also write a document per tool call (with its result) to <index.prefix>steps.")
      .define(EMBED_STEPS, Type.BOOLEAN, false, Importance.MEDIUM,
          "Embed each tool call (name and arguments) in-process. Off, tool calls get a vector only when the "
              + "agent sent one; a trajectory's own vector is always set.")
      .define(BATCH_MAX_RECORDS, Type.INT, 2000, Range.between(1, 10_000), Importance.MEDIUM,
          "Most records taken in one poll, written as bulk requests of at most 125 records, and committed together. "
              + "Large batches keep OpenSearch busy: it idles while a batch's last request finishes and the next "
              + "batch's first ones are readied.")
      .define(BULK_CONCURRENCY, Type.INT, 2, Range.between(1, 16), Importance.LOW,
          "Bulk requests in flight at once. A batch goes out as at least twice as many, each decoding and embedding "
              + "its own records first, so one request is readied while another is indexed.")
      .define(POLL_MS, Type.LONG, 100L, Range.between(1, 60_000), Importance.LOW,
          "How long a poll waits for records when there are none.")
      .define(RETRY_INITIAL_MS, Type.LONG, 200L, Range.between(1, 3_600_000), Importance.MEDIUM,
          "First wait before a batch OpenSearch could not take (unreachable, 429, 5xx) is written again; "
              + "doubled on each attempt up to indexer.retry.max.ms. Retries go on until it succeeds.")
      .define(RETRY_MAX_MS, Type.LONG, 30_000L, Range.between(1, 3_600_000), Importance.MEDIUM,
          "Longest wait between two attempts to write a batch.")
      .define(STALL_MS, Type.LONG, 120_000L, LoopWatch.stallSetting(), Importance.LOW,
          "How long the indexing loop may go without progress (a poll returning, a bulk request finishing) "
              + "before it counts as stuck: /health answers DOWN with the reason and the log gets the stacks of its "
              + "threads. Longer than a bulk request can take (OpenSearch answers or times out within 30 s). 0: off.")
      .define(INDEX_SHARDS, Type.INT, 1, Range.between(1, 1024), Importance.LOW,
          "Primary shards of a new index (an existing index keeps its own).")
      .define(INDEX_REPLICAS, Type.INT, 0, Range.between(0, 16), Importance.LOW,
          "Replicas of a new index; 0 on a single node.")
      .define(INDEX_REFRESH_INTERVAL, Type.STRING, "500ms", (name, value) -> {
            if (value == null || !TIME_VALUE.matcher(value.toString()).matches()) {
              throw new ConfigException(name, value, "expected an OpenSearch time value such as 500ms or 1s, or -1");
            }
          }, Importance.MEDIUM,
          "How often new documents become searchable: the floor of recall freshness, traded against indexing "
              + "throughput (each refresh writes a small segment).")
      .define(INDEX_DERIVED_SOURCE, Type.BOOLEAN, false, Importance.LOW,
          "true leaves the vectors of a new index out of the stored _source and rebuilds them when read "
              + "(OpenSearch's derived source): ~60% less disk, ~20% slower bulk indexing. false keeps them in _source.")
      .define(INDEX_KNN_M, Type.INT, VectorGraph.DEFAULT.m(), Range.between(2, 100), Importance.LOW,
          "HNSW links per vector in a new index (an existing index keeps its own): more find better "
              + "neighbours and cost memory and indexing time.")
      .define(INDEX_KNN_EF_CONSTRUCTION, Type.INT, VectorGraph.DEFAULT.efConstruction(), Range.between(2, 4096),
          Importance.LOW, "HNSW candidates weighed when a vector is linked into the graph of a new index, at "
              + "indexing and at every merge: the graph's quality against indexing time.")
      .define(INDEX_TEXT_ANALYSIS, Type.STRING, TextAnalysis.DEFAULT.settingValue(),
          ConfigDef.ValidString.in("code", "standard"), Importance.LOW,
          "How a new index analyses its text fields (an existing index keeps its own). code: each word is also "
              + "split into its parts at case changes, underscores, dots and digits, so testRefundFlow and "
              + "invoice_rounding.py are found by their parts; standard: OpenSearch's standard analyzer.")
      .define(EMBEDDING_CACHE, Type.INT, 20_000, Range.between(0, 10_000_000), Importance.LOW,
          "Texts whose vectors are remembered (least recently used out); a rewarded version of a trajectory "
              + "reuses its summary's vector. 0 turns the cache off.")
      .define(METRICS_HOST, Type.STRING, "127.0.0.1", Importance.LOW, "Address of the Prometheus endpoint.")
      .define(METRICS_PORT, Type.INT, DEFAULT_METRICS_PORT, Range.between(-1, 65535), Importance.LOW,
          "Port of the Prometheus endpoint (/metrics, /health); 0 picks a free port, -1 turns it off."));

  private final Map<String, String> consumerOverrides;
  private final Map<String, String> producerOverrides;

  /**
   * @param values the defined keys
   * @param consumerOverrides {@code consumer.*} keys, prefix removed
   * @param producerOverrides {@code producer.*} keys, prefix removed
   * @throws ConfigException naming the offending key
   */
  IndexerConfig(Map<String, String> values, Map<String, String> consumerOverrides, Map<String, String> producerOverrides) {
    super(CONFIG_DEF, values, false);
    this.consumerOverrides = Map.copyOf(consumerOverrides);
    this.producerOverrides = Map.copyOf(producerOverrides);
    if (getLong(RETRY_MAX_MS) < getLong(RETRY_INITIAL_MS)) {
      throw new ConfigException(RETRY_MAX_MS, getLong(RETRY_MAX_MS),
          "must be at least " + RETRY_INITIAL_MS + " (" + getLong(RETRY_INITIAL_MS) + ")");
    }
  }

  /** The indexer's settings from flags, {@code TRAJLAKE_*} variables and the config file. */
  public static IndexerConfig from(Settings settings) {
    return settings.build(CONFIG_DEF, values ->
        new IndexerConfig(values, settings.prefixed(CONSUMER_PREFIX), settings.prefixed(PRODUCER_PREFIX)));
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

  public boolean indexSteps() {
    return getBoolean(INDEX_STEPS);
  }

  public boolean embedSteps() {
    return getBoolean(EMBED_STEPS);
  }

  public int batchMaxRecords() {
    return getInt(BATCH_MAX_RECORDS);
  }

  public int bulkConcurrency() {
    return getInt(BULK_CONCURRENCY);
  }

  public Duration pollTimeout() {
    return Duration.ofMillis(getLong(POLL_MS));
  }

  /** How long the loop may go without progress before it counts as stuck; zero when not watched. */
  public Duration stallTimeout() {
    return Duration.ofMillis(getLong(STALL_MS));
  }

  Backoff backoff() {
    return new Backoff(Duration.ofMillis(getLong(RETRY_INITIAL_MS)), Duration.ofMillis(getLong(RETRY_MAX_MS)));
  }

  public IndexAdmin.IndexSettings indexSettings() {
    return new IndexAdmin.IndexSettings(getInt(INDEX_SHARDS), getInt(INDEX_REPLICAS), getString(INDEX_REFRESH_INTERVAL),
        getBoolean(INDEX_DERIVED_SOURCE), new VectorGraph(getInt(INDEX_KNN_M), getInt(INDEX_KNN_EF_CONSTRUCTION)),
        TextAnalysis.of(getString(INDEX_TEXT_ANALYSIS)));
  }

  public OpenSearchSettings.Connection openSearch() {
    return OpenSearchSettings.Connection.of(this);
  }

  public String embeddingModel() {
    return getString(OpenSearchSettings.EMBEDDING_MODEL);
  }

  public int embeddingThreads() {
    return getInt(OpenSearchSettings.EMBEDDING_THREADS);
  }

  public int embeddingMaxWords() {
    return getInt(OpenSearchSettings.EMBEDDING_MAX_WORDS);
  }

  public int embeddingCache() {
    return getInt(EMBEDDING_CACHE);
  }

  public String metricsHost() {
    return getString(METRICS_HOST);
  }

  public int metricsPort() {
    return getInt(METRICS_PORT);
  }

  /** The serde settings for {@code Topics.create}. */
  public Map<String, Object> serdeConfig() {
    return Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, getString(SCHEMA_REGISTRY_URL));
  }

  /** The input consumer ({@link PlainClientProperties#consumer}): offsets committed once indexed, then any override. */
  public Map<String, Object> consumerProperties() {
    Map<String, Object> props = PlainClientProperties.consumer(bootstrapServers(), groupId());
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, batchMaxRecords());
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
