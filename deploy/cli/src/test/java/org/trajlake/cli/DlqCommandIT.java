package org.trajlake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.trajlake.runtime.DeadLetterProducer;
import org.trajlake.stack.Component;
import org.trajlake.stack.Endpoints;
import org.trajlake.testkit.RealServers;
import org.trajlake.testkit.TestKafka;

/** {@code trajlake dlq} reading a real dead-letter topic. */
@RealServers(Component.KAFKA)
class DlqCommandIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static String prefix;
  private static String bootstrap;

  @BeforeAll
  static void deadLetters(Endpoints servers) throws Exception {
    // Given a dead-letter topic of two partitions holding: three negative-seq records from ingest-streams,
    // one of them written again (a restart before the commit), one undecodable record from the sink,
    // a record without dead-letter headers, and a dead letter of a transaction that was aborted
    bootstrap = servers.bootstrapServers();
    prefix = TestKafka.uniquePrefix("dlq");
    TestKafka.createTopics(bootstrap, 2, prefix + "dlq");
    Clock clock = Clock.fixed(Instant.parse("2026-11-21T10:00:00Z"), ZoneOffset.UTC);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new ByteArraySerializer(), new ByteArraySerializer())) {
      DeadLetterProducer ingest = new DeadLetterProducer(producer, prefix + "dlq", "ingest-streams", clock);
      for (long offset : new long[] {11, 12, 13, 12}) {
        ingest.send(source(prefix + "steps", 0, offset, "traj-" + offset), "negative-seq", "seq -" + offset + " is negative")
            .get();
      }
      new DeadLetterProducer(producer, prefix + "dlq", "iceberg-sink", clock)
          .send(source(prefix + "trajectories.rewarded", 1, 5, "traj-5"), "decode-failed", "not Avro").get();
      producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(prefix + "dlq", "stray".getBytes(
          StandardCharsets.UTF_8), new byte[] {1})).get();
    }
    try (KafkaProducer<byte[], byte[]> transactional = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.TRANSACTIONAL_ID_CONFIG, prefix + "tx"),
        new ByteArraySerializer(), new ByteArraySerializer())) {
      transactional.initTransactions();
      transactional.beginTransaction();
      new DeadLetterProducer(transactional, prefix + "dlq", "ingest-streams", clock)
          .send(source(prefix + "steps", 0, 99, "traj-99"), "late", "aborted");
      transactional.flush();
      transactional.abortTransaction();
    }
  }

  private static ConsumerRecord<byte[], byte[]> source(String topic, int partition, long offset, String key) {
    return new ConsumerRecord<>(topic, partition, offset, key.getBytes(StandardCharsets.UTF_8), new byte[] {0, 1, 2});
  }

  @Test
  void summarizesByStageAndReasonCountingARepeatOnceAndSkippingAbortedDeadLetters() {
    // When the operator asks what the dead-letter topic holds
    CliRun run = CliRun.of("dlq", "--set", "bootstrap.servers=" + bootstrap, "--set", "topic.prefix=" + prefix);

    // Then: six committed dead letters, four refused records, the repeat and the stray named
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains(prefix + "dlq: 6 dead letters, 4 refused records (1 written again by a stage "
        + "that restarted before committing); 1 without dead-letter headers");
    assertThat(run.out()).containsPattern("ingest-streams +negative-seq +3 ")
        .containsPattern("iceberg-sink +decode-failed +1 ")
        .contains(prefix + "trajectories.rewarded/1@5  key traj-5  not Avro")
        .doesNotContain("aborted");
  }

  @Test
  void filtersByStageAndPrintsJson() throws Exception {
    // When only the sink's dead letters are asked for, as JSON
    CliRun run = CliRun.of("dlq", "--set", "bootstrap.servers=" + bootstrap, "--set", "topic.prefix=" + prefix,
        "--stage", "iceberg-sink", "--json");

    // Then the one sink record is there with its source coordinates
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode json = JSON.readTree(run.out());
    assertThat(json.path("records").asLong()).isEqualTo(1);
    assertThat(json.path("reasons").get(0).path("reason").asText()).isEqualTo("decode-failed");
    JsonNode latest = json.path("latest").get(0);
    assertThat(latest.path("source_topic").asText()).isEqualTo(prefix + "trajectories.rewarded");
    assertThat(latest.path("source_offset").asLong()).isEqualTo(5);
    assertThat(latest.path("value_bytes").asInt()).isEqualTo(3);
  }

  @Test
  void aPrefixWithoutADeadLetterTopicIsAClearErrorAndCreatesNothing() throws Exception {
    // When the prefix is mistyped
    String wrong = TestKafka.uniquePrefix("dlq-typo");
    CliRun run = CliRun.of("dlq", "--set", "bootstrap.servers=" + bootstrap, "--set", "topic.prefix=" + wrong,
        "--timeout", "10");

    // Then it says which topic is missing and what to check, and no such topic was created
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("topic " + wrong + "dlq does not exist").contains("topic.prefix");
    try (var admin = TestKafka.admin(bootstrap)) {
      assertThat(admin.listTopics().names().get()).doesNotContain(wrong + "dlq");
    }
  }
}
