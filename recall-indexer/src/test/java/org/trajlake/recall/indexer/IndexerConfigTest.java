package org.trajlake.recall.indexer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.trajlake.recall.index.IndexAdmin;
import org.trajlake.recall.index.TextAnalysis;
import org.trajlake.recall.index.VectorGraph;
import org.trajlake.runtime.Settings;

class IndexerConfigTest {
  @TempDir
  Path dir;

  @Test
  void withNothingSetTheDefaultsApply() {
    // When the config is built from nothing
    IndexerConfig config = IndexerConfig.from(Settings.of(Map.of()));

    // Then every key has its documented default
    assertThat(config.bootstrapServers()).isEqualTo("127.0.0.1:9092");
    assertThat(config.serdeConfig()).containsEntry("schema.registry.url", "http://127.0.0.1:8081/apis/ccompat/v7");
    assertThat(config.topicPrefix()).isEqualTo("trajlake.");
    assertThat(config.groupId()).isEqualTo("trajlake-indexer");
    assertThat(config.openSearch().url()).isEqualTo("http://127.0.0.1:9200");
    assertThat(config.openSearch().indexPrefix()).isEqualTo("trajlake-");
    assertThat(config.openSearch().timeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.embeddingModel()).isEqualTo("all-minilm-l6-v2-q");
    assertThat(config.indexSteps()).isTrue();
    assertThat(config.embedSteps()).isFalse();
    assertThat(config.batchMaxRecords()).isEqualTo(2000);
    assertThat(config.bulkConcurrency()).isEqualTo(2);
    assertThat(config.pollTimeout()).isEqualTo(Duration.ofMillis(100));
    assertThat(config.backoff()).isEqualTo(new Backoff(Duration.ofMillis(200), Duration.ofSeconds(30)));
    assertThat(config.stallTimeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(config.indexSettings()).isEqualTo(new IndexAdmin.IndexSettings(1, 0, "500ms", false,
        new VectorGraph(16, 64), TextAnalysis.CODE));
    assertThat(config.embeddingCache()).isEqualTo(20_000);
    assertThat(config.metricsHost()).isEqualTo("127.0.0.1");
    assertThat(config.metricsPort()).isEqualTo(9403);
  }

  @Test
  void theConsumerReadsCommittedRecordsAndCommitsByHandUnlessOverridden() throws Exception {
    // Given a config file overriding one consumer and one producer setting
    Path file = dir.resolve("indexer.properties");
    Files.writeString(file, "consumer.fetch.max.wait.ms=50\nproducer.linger.ms=20\nindexer.batch.max.records=800\n");

    // When the config is built
    IndexerConfig config = IndexerConfig.from(Settings.load(Map.of(), Map.of(), Optional.of(file)));

    // Then the consumer is read_committed with manual commits, sized by the batch, with the override on top
    assertThat(config.consumerProperties())
        .containsEntry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
        .containsEntry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)
        .containsEntry(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")
        .containsEntry(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 800)
        .containsEntry("fetch.max.wait.ms", "50");
    assertThat(config.producerProperties())
        .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
        .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
        .containsEntry("linger.ms", "20");
  }

  @Test
  void aVariableWinsOverTheFile() throws Exception {
    // Given the port in the file and in the environment
    Path file = dir.resolve("indexer.properties");
    Files.writeString(file, "metrics.port=9999\n");
    Settings settings = Settings.load(Map.of(), Map.of("TRAJLAKE_METRICS_PORT", "-1"), Optional.of(file));

    // When the config is built, then the variable's value applies
    assertThat(IndexerConfig.from(settings).metricsPort()).isEqualTo(-1);
  }

  @Test
  void derivedSourceCanBeTurnedOnToSaveDisk() {
    // Given derived source asked for
    Settings settings = Settings.of(Map.of("index.knn.derived.source", "true"));

    // When the config is built, then new indexes leave vectors out of _source
    assertThat(IndexerConfig.from(settings).indexSettings().derivedSource()).isTrue();
  }

  @Test
  void theVectorGraphOfNewIndexesIsSet() {
    // Given HNSW parameters asked for
    Settings settings = Settings.of(Map.of("index.knn.m", "24", "index.knn.ef.construction", "200"));

    // When the config is built, then new indexes build their graphs with them
    assertThat(IndexerConfig.from(settings).indexSettings().graph()).isEqualTo(new VectorGraph(24, 200));
  }

  @Test
  void theTextAnalysisOfNewIndexesIsSet() {
    // Given OpenSearch's standard analyzer asked for
    Settings settings = Settings.of(Map.of("index.text.analysis", "standard"));

    // When the config is built, then new indexes analyse their text with it
    assertThat(IndexerConfig.from(settings).indexSettings().textAnalysis()).isEqualTo(TextAnalysis.STANDARD);
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({
      "indexer.batch.max.records, 0",
      "indexer.bulk.concurrency, 0",
      "indexer.poll.ms, soon",
      "indexer.retry.initial.ms, 0",
      "indexer.retry.max.ms, -1",
      "indexer.stall.ms, 500",
      "opensearch.timeout.ms, 10",
      "indexer.stall.ms, -1",
      "index.shards, 0",
      "index.replicas, -1",
      "index.refresh.interval, half a second",
      "indexer.embedding.cache, -1",
      "metrics.port, 70000",
      "embedding.model, gpt-embed",
      "group.id, ''",
      "indexer.index.steps, maybe",
      "index.knn.derived.source, sometimes",
      "index.knn.m, 1",
      "index.knn.ef.construction, 5000",
      "index.text.analysis, english",
  })
  void aBadValueIsRefusedNamingTheKeyAndWhereToSetIt(String key, String value) {
    // Given a bad value on the command line
    Settings settings = Settings.of(Map.of(key, value));

    // When the config is built, then it fails naming the key and the variable that sets it
    assertThatThrownBy(() -> IndexerConfig.from(settings))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(key)
        .hasMessageContaining(Settings.envVarFor(key));
  }

  @Test
  void aLongestWaitBelowTheFirstIsRefused() {
    // Given a maximum backoff below the initial one
    Settings settings = Settings.of(Map.of("indexer.retry.initial.ms", "5000", "indexer.retry.max.ms", "1000"));

    // When the config is built, then it names both keys
    assertThatThrownBy(() -> IndexerConfig.from(settings))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("indexer.retry.max.ms")
        .hasMessageContaining("indexer.retry.initial.ms");
  }

  @Test
  void everyKeyHasADefaultAndADocLine() {
    // When the definition is listed, then each key is documented with a default
    IndexerConfig.configDef().configKeys().values().forEach(key -> {
      assertThat(key.documentation).as(key.name).isNotBlank();
      assertThat(key.hasDefault()).as(key.name).isTrue();
    });
  }
}
