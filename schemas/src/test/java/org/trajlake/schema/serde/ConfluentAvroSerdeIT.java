package org.trajlake.schema.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.trajlake.schema.StepKind;
import org.trajlake.schema.TestEvents;
import org.trajlake.schema.ToolResult;
import org.trajlake.schema.TrajectoryEvent;
import org.trajlake.schema.serde.AvroSerdeException.Reason;
import org.trajlake.stack.Component;
import org.trajlake.stack.Endpoints;
import org.trajlake.testkit.RealServers;
import org.trajlake.testkit.TestKafka;

/** The serde inside real Kafka clients, through a real broker and a real registry. */
@RealServers({Component.KAFKA, Component.REGISTRY})
class ConfluentAvroSerdeIT {
  private Endpoints servers;
  private String topic;

  @BeforeEach
  void freshTopic(Endpoints servers) {
    this.servers = servers;
    // The broker does not auto-create topics, and every IT class shares it: one topic per test.
    this.topic = TestKafka.uniquePrefix("serde") + "events";
    TestKafka.createTopics(servers.bootstrapServers(), 3, topic);
  }

  @Test
  void eventsWrittenByAProducerAreReadEqualByAConsumer() {
    // Given events with unicode text, a tool call, a tool result, tags, attributes and an embedding
    List<TrajectoryEvent> events =
        List.of(
            event(0, StepKind.OBSERVATION, "Grüße, 世界: the test fails ✗ 🐛"),
            TrajectoryEvent.newBuilder(TestEvents.toolCall()).setTrajectoryId("t-unicode").setSeq(1).build(),
            TrajectoryEvent.newBuilder(event(2, StepKind.TOOL_RESULT, ""))
                .setToolResult(ToolResult.newBuilder().setCallId("c-1").setOutput("BUILD SUCCESS ✓").build())
                .build());

    // When a producer whose serde registers the schema writes them
    try (KafkaProducer<String, TrajectoryEvent> producer =
        producer(Map.of(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, true))) {
      for (TrajectoryEvent event : events) {
        producer.send(new ProducerRecord<>(topic, event.getTrajectoryId(), event));
      }
      producer.flush();
    }

    // Then a consumer whose serde only reads (auto-registration off) gets the same events, in order
    try (KafkaConsumer<String, TrajectoryEvent> consumer = consumer()) {
      List<ConsumerRecord<String, TrajectoryEvent>> records = TestKafka.readAtLeast(consumer, events.size());
      assertThat(records).extracting(ConsumerRecord::value).containsExactlyElementsOf(events);
      assertThat(records).extracting(ConsumerRecord::key).containsOnly("t-unicode");
    }
  }

  @Test
  void producingWithAnUnregisteredSchemaAndAutoRegisterOffFailsNamingTheSubject() {
    // Given a topic whose value subject holds no schema, and a producer with auto-registration off
    try (KafkaProducer<String, TrajectoryEvent> producer = producer(Map.of())) {

      // When an event is sent
      // Then the send fails before anything is written, naming the subject to provision
      assertThatThrownBy(() -> producer.send(new ProducerRecord<>(topic, "t-1", TestEvents.toolCall())))
          .isInstanceOfSatisfying(
              AvroSerdeException.class, e -> assertThat(e.reason()).isEqualTo(Reason.SCHEMA_NOT_REGISTERED))
          .hasMessageContaining("'" + topic + "-value'");
    }
  }

  @Test
  void bytesWithoutTheConfluentHeaderFailToDeserializeWithNoMagicByte() {
    // Given a record whose value some other producer wrote as plain JSON text
    TestKafka.produceRaw(
        servers.bootstrapServers(), topic, "t-1", "{\"kind\":\"THOUGHT\"}".getBytes(StandardCharsets.UTF_8));

    // When a consumer with the serde reads it
    // Then the read fails for that record as not Confluent-framed, so a stage can dead-letter it
    try (KafkaConsumer<String, TrajectoryEvent> consumer = consumer()) {
      assertThatThrownBy(() -> consumer.poll(TestKafka.READ_TIMEOUT))
          .isInstanceOfSatisfying(
              RecordDeserializationException.class,
              e -> {
                assertThat(e.origin()).isEqualTo(RecordDeserializationException.DeserializationExceptionOrigin.VALUE);
                assertThat(e.offset()).isZero();
              })
          .cause()
          .isInstanceOfSatisfying(AvroSerdeException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NO_MAGIC_BYTE))
          .hasMessageContaining(topic);
    }
  }

  @Test
  void aFramedPayloadNamingAnIdTheRegistryDoesNotKnowFailsWithUnknownSchemaId() {
    // Given a Confluent-framed record naming schema id 2000000000, which this registry never issued
    int unknownId = 2_000_000_000;
    byte[] payload = ByteBuffer.allocate(7).put((byte) 0).putInt(unknownId).put((byte) 2).put((byte) 'x').array();
    TestKafka.produceRaw(servers.bootstrapServers(), topic, "t-1", payload);

    // When a consumer with the serde reads it
    // Then the read fails as an unknown schema id, naming the id
    try (KafkaConsumer<String, TrajectoryEvent> consumer = consumer()) {
      assertThatThrownBy(() -> consumer.poll(TestKafka.READ_TIMEOUT))
          .isInstanceOf(RecordDeserializationException.class)
          .cause()
          .isInstanceOfSatisfying(
              AvroSerdeException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_SCHEMA_ID))
          .hasMessageContaining(String.valueOf(unknownId));
    }
  }

  private KafkaProducer<String, TrajectoryEvent> producer(Map<String, Object> serdeSettings) {
    Map<String, Object> serdeConfig = new HashMap<>(serdeSettings);
    serdeConfig.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, servers.registryUrl());
    ConfluentAvroSerde<TrajectoryEvent> serde = ConfluentAvroSerde.forValues(TrajectoryEvent.class, serdeConfig);
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers.bootstrapServers(),
            ProducerConfig.ACKS_CONFIG, "all",
            ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) Duration.ofSeconds(30).toMillis()),
        new StringSerializer(),
        serde.serializer());
  }

  private KafkaConsumer<String, TrajectoryEvent> consumer() {
    ConfluentAvroSerde<TrajectoryEvent> serde =
        ConfluentAvroSerde.forValues(
            TrajectoryEvent.class, Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, servers.registryUrl()));
    return TestKafka.consumerFromStart(
        servers.bootstrapServers(), topic, new StringDeserializer(), serde.deserializer());
  }

  private static TrajectoryEvent event(long seq, StepKind kind, String content) {
    return TrajectoryEvent.newBuilder()
        .setEventId("e-" + seq)
        .setTrajectoryId("t-unicode")
        .setWorkspace("team-ü")
        .setAgentId("coder@1.0")
        .setSeq(seq)
        .setTs(Instant.parse("2026-01-01T00:00:00.123Z").plusMillis(seq))
        .setKind(kind)
        .setContent(content)
        .build();
  }
}
