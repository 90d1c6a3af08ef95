package org.trajlake.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.trajlake.schema.registry.HttpSchemaRegistry;
import org.trajlake.schema.registry.IncompatibleSchemaException;
import org.trajlake.schema.registry.RegisteredSchema;
import org.trajlake.schema.registry.SchemaRegistry;
import org.trajlake.schema.serde.AvroSerdeConfig;
import org.trajlake.schema.serde.ConfluentAvroSerde;
import org.trajlake.stack.Component;
import org.trajlake.stack.Endpoints;
import org.trajlake.testkit.RealServers;
import org.trajlake.testkit.TestKafka;

/**
 * Evolving TrajectoryEvent under the real registry's BACKWARD rule: data written by an agent on an
 * older schema stays readable by the current classes, and a breaking change never gets registered.
 */
@RealServers({Component.KAFKA, Component.REGISTRY})
class SchemaEvolutionIT {
  // Optional fields of the current schema that the "old" version below does not have yet.
  private static final Set<String> FIELDS_ADDED_LATER = Set.of("tags", "embedding");
  private static final Instant WRITTEN_AT = Instant.parse("2025-06-01T12:00:00.250Z");

  private Endpoints servers;
  private SchemaRegistry registry;
  private String topic;
  private String subject;

  @BeforeEach
  void setUp(Endpoints servers) {
    this.servers = servers;
    this.registry = HttpSchemaRegistry.builder(servers.registryUrl()).build();
    this.topic = TestKafka.uniquePrefix("evolution") + "events";
    this.subject = topic + "-value";
  }

  @Test
  void dataWrittenWithAnOlderSchemaIsReadByTheCurrentClassWithDefaultsForNewFields() {
    // Given an agent on an older TrajectoryEvent schema, without tags and embedding, that wrote a
    // step in the Confluent wire format under the schema id the registry gave that version
    TestKafka.createTopics(servers.bootstrapServers(), 1, topic);
    Schema old = withoutFields(Schemas.portable(TrajectoryEvent.getClassSchema()), FIELDS_ADDED_LATER);
    int oldId = registry.register(subject, old);
    TestKafka.produceRaw(servers.bootstrapServers(), topic, "t-old", framed(oldId, oldToolCallStep(old)));

    // When the current schema is registered under the same subject
    int currentId = registry.register(subject, Schemas.portable(TrajectoryEvent.getClassSchema()));

    // Then the registry accepts it as version 2 (BACKWARD: it reads version 1's data) ...
    assertThat(currentId).isNotEqualTo(oldId);
    assertThat(registry.latest(subject)).map(RegisteredSchema::version).contains(2);

    // ... and the current class reads the old step: every field as written, the new ones at their defaults
    try (KafkaConsumer<String, TrajectoryEvent> consumer = currentConsumer()) {
      List<ConsumerRecord<String, TrajectoryEvent>> records = TestKafka.readAtLeast(consumer, 1);
      TrajectoryEvent expected =
          TrajectoryEvent.newBuilder()
              .setEventId("e-old-1")
              .setTrajectoryId("t-old")
              .setWorkspace("team-a")
              .setAgentId("coder@0.9")
              .setTaskId("fix-issue-42")
              .setSeq(3)
              .setTs(WRITTEN_AT)
              .setKind(StepKind.TOOL_CALL)
              .setContent("running the tests ✓")
              .setToolCall(
                  ToolCall.newBuilder().setName("bash").setCallId("c-1").setArguments("{\"cmd\":\"mvn test\"}").build())
              .setAttributes(Map.of("branch", "main"))
              .build();
      assertThat(records).hasSize(1);
      TrajectoryEvent read = records.get(0).value();
      assertThat(read.getTags()).isEmpty();
      assertThat(read.getEmbedding()).isNull();
      assertThat(read).isEqualTo(expected);
    }
  }

  @Test
  void aNewFieldWithoutADefaultIsRefusedAndNotRegistered() {
    // Given the current TrajectoryEvent registered under a subject
    Schema current = Schemas.portable(TrajectoryEvent.getClassSchema());
    int currentId = registry.register(subject, current);

    // When a version adding a required session_id is registered: it cannot read the data already written
    Schema changed =
        withField(current, new Schema.Field("session_id", Schema.create(Schema.Type.STRING), "The agent session."));

    // Then the registry refuses it, and the subject still serves the current schema
    assertRefused(changed, currentId);
  }

  @Test
  void aRemovedEnumSymbolIsRefusedAndNotRegistered() {
    // Given the current TrajectoryEvent registered under a subject
    Schema current = Schemas.portable(TrajectoryEvent.getClassSchema());
    int currentId = registry.register(subject, current);

    // When a version whose TrajectoryStatus lost ABORTED is registered: it cannot read old END steps
    String withAborted = "\"SUCCESS\",\"FAILURE\",\"ERROR\",\"ABORTED\",\"INCOMPLETE\"";
    String withoutAborted = "\"SUCCESS\",\"FAILURE\",\"ERROR\",\"INCOMPLETE\"";
    assertThat(current.toString()).contains(withAborted);
    Schema changed = new Schema.Parser().parse(current.toString().replace(withAborted, withoutAborted));

    // Then the registry refuses it, and the subject still serves the current schema
    assertRefused(changed, currentId);
  }

  private void assertRefused(Schema changed, int currentId) {
    assertThatThrownBy(() -> registry.register(subject, changed))
        .isInstanceOfSatisfying(IncompatibleSchemaException.class, e -> assertThat(e.subject()).isEqualTo(subject));
    assertThat(registry.latest(subject))
        .hasValueSatisfying(
            latest -> {
              assertThat(latest.version()).isEqualTo(1);
              assertThat(latest.id()).isEqualTo(currentId);
            });
  }

  private KafkaConsumer<String, TrajectoryEvent> currentConsumer() {
    ConfluentAvroSerde<TrajectoryEvent> serde =
        ConfluentAvroSerde.forValues(
            TrajectoryEvent.class, Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, servers.registryUrl()));
    return TestKafka.consumerFromStart(
        servers.bootstrapServers(), topic, new StringDeserializer(), serde.deserializer());
  }

  /** {@code schema} as it was before {@code fields} were added. */
  private static Schema withoutFields(Schema schema, Set<String> fields) {
    return withFields(schema, schema.getFields().stream().filter(field -> !fields.contains(field.name())).toList());
  }

  /** {@code schema} with {@code added} as its last field. */
  private static Schema withField(Schema schema, Schema.Field added) {
    List<Schema.Field> fields = new ArrayList<>(schema.getFields());
    fields.add(added);
    return withFields(schema, fields);
  }

  private static Schema withFields(Schema schema, List<Schema.Field> fields) {
    // An Avro field belongs to one record, so the new record gets copies.
    List<Schema.Field> copies = fields.stream().map(field -> new Schema.Field(field, field.schema())).toList();
    return Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false, copies);
  }

  /** A TOOL_CALL step as an agent holding only the old .avsc builds it: a generic record. */
  private static GenericRecord oldToolCallStep(Schema old) {
    Schema toolCall = old.getField("tool_call").schema().getTypes().get(1);
    // Fields left unset (tool_result, reward, model, status) take their defaults.
    return new GenericRecordBuilder(old)
        .set("event_id", "e-old-1")
        .set("trajectory_id", "t-old")
        .set("workspace", "team-a")
        .set("agent_id", "coder@0.9")
        .set("task_id", "fix-issue-42")
        .set("seq", 3L)
        .set("ts", WRITTEN_AT.toEpochMilli())
        .set("kind", new GenericData.EnumSymbol(old.getField("kind").schema(), "TOOL_CALL"))
        .set("content", "running the tests ✓")
        .set(
            "tool_call",
            new GenericRecordBuilder(toolCall)
                .set("name", "bash")
                .set("call_id", "c-1")
                .set("arguments", "{\"cmd\":\"mvn test\"}")
                .build())
        .set("attributes", Map.of("branch", "main"))
        .build();
  }

  private static byte[] framed(int schemaId, GenericRecord record) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write(ByteBuffer.allocate(5).put((byte) 0).putInt(schemaId).array());
      BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
      new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, encoder);
      encoder.flush();
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
