package org.trajlake.schema.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;
import org.trajlake.schema.Schemas;
import org.trajlake.schema.StepKind;
import org.trajlake.schema.TestEvents;
import org.trajlake.schema.TrajectoryEvent;
import org.trajlake.schema.registry.InMemorySchemaRegistry;
import org.trajlake.schema.serde.AvroSerdeException.Reason;

class ConfluentAvroSerdeTest {
  private static final String TOPIC = "trajlake.events";
  private static final String SUBJECT = "trajlake.events-value";

  @Test
  void aRecordSurvivesTheRoundTrip() {
    // Given a serde whose schema is registered
    InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    registry.register(SUBJECT, Schemas.portable(TrajectoryEvent.getClassSchema()));
    Serde<TrajectoryEvent> serde = ConfluentAvroSerde.forValues(TrajectoryEvent.class, registry, false);
    TrajectoryEvent event = TestEvents.toolCall();

    // When an event is written and read back
    byte[] bytes = serde.serializer().serialize(TOPIC, event);
    TrajectoryEvent read = serde.deserializer().deserialize(TOPIC, bytes);

    // Then it is the same event
    assertThat(read).isEqualTo(event);
  }

  @Test
  void theBytesStartWithMagicByteAndTheRegisteredId() {
    // Given a schema registered under id 258
    InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    registry.registerWithId(SUBJECT, Schemas.portable(TrajectoryEvent.getClassSchema()), 258);
    Serde<TrajectoryEvent> serde = ConfluentAvroSerde.forValues(TrajectoryEvent.class, registry, false);

    // When an event is written
    byte[] bytes = serde.serializer().serialize(TOPIC, TestEvents.toolCall());

    // Then the header is magic byte 0 and 258 as a big-endian int
    assertThat(List.of(bytes[0], bytes[1], bytes[2], bytes[3], bytes[4]))
        .containsExactly((byte) 0, (byte) 0, (byte) 0, (byte) 1, (byte) 2);
  }

  @Test
  void nullIsWrittenAndReadAsNull() {
    // Given a configured serde
    Serde<TrajectoryEvent> serde =
        ConfluentAvroSerde.forValues(TrajectoryEvent.class, new InMemorySchemaRegistry(), false);

    // When a tombstone is written and read
    // Then it stays null both ways, without asking the registry
    assertThat(serde.serializer().serialize(TOPIC, null)).isNull();
    assertThat(serde.deserializer().deserialize(TOPIC, null)).isNull();
  }

  @Test
  void anUnregisteredSchemaWithAutoRegisterOffFailsNamingSubjectAndSetting() {
    // Given an empty registry and auto-registration off (the default)
    InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    Serde<TrajectoryEvent> serde = ConfluentAvroSerde.forValues(TrajectoryEvent.class, registry, false);

    // When an event is written
    // Then it fails as not registered, naming the subject and the setting, and registers nothing
    assertThatThrownBy(() -> serde.serializer().serialize(TOPIC, TestEvents.toolCall()))
        .isInstanceOfSatisfying(
            AvroSerdeException.class, e -> assertThat(e.reason()).isEqualTo(Reason.SCHEMA_NOT_REGISTERED))
        .hasMessageContaining(SUBJECT)
        .hasMessageContaining("auto.register.schemas");
    assertThat(registry.subjects()).isEmpty();
  }

  @Test
  void autoRegisterOnRegistersTheSchemaUnderTheTopicValueSubject() {
    // Given an empty registry and auto-registration on
    InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    Serde<TrajectoryEvent> serde = ConfluentAvroSerde.forValues(TrajectoryEvent.class, registry, true);

    // When an event is written
    serde.serializer().serialize(TOPIC, TestEvents.toolCall());

    // Then the portable schema (no Java-only properties) is registered under <topic>-value
    assertThat(registry.subjects()).containsExactly(SUBJECT);
    assertThat(registry.latest(SUBJECT).orElseThrow().schema().toString()).doesNotContain("avro.java.string");
  }

  @Test
  void aKeySerdeUsesTheTopicKeySubject() {
    // Given a serde configured as a key serde with auto-registration on
    InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    ConfluentAvroSerde<TrajectoryEvent> serde = new ConfluentAvroSerde<>(TrajectoryEvent.class, registry);
    serde.configure(Map.of(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, "true"), true);

    // When a key is written
    serde.serializer().serialize(TOPIC, TestEvents.toolCall());

    // Then the schema went under <topic>-key
    assertThat(registry.subjects()).containsExactly("trajlake.events-key");
  }

  @Test
  void theSchemaIdIsLookedUpOncePerSubject() {
    // Given a registered schema
    InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    registry.register(SUBJECT, Schemas.portable(TrajectoryEvent.getClassSchema()));
    Serde<TrajectoryEvent> serde = ConfluentAvroSerde.forValues(TrajectoryEvent.class, registry, false);

    // When three events are written
    for (int i = 0; i < 3; i++) {
      serde.serializer().serialize(TOPIC, TestEvents.toolCall());
    }

    // Then the registry was asked once
    assertThat(registry.lookupCalls).hasValue(1);
  }

  @Test
  void dataWrittenWithAnOlderSchemaGetsTheDefaultsOfNewFields() throws IOException {
    // Given version 1 of TrajectoryEvent, without the later fields tags and embedding, registered as id 1
    Schema current = Schemas.portable(TrajectoryEvent.getClassSchema());
    Schema older = withoutFields(current, "tags", "embedding");
    InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    registry.registerWithId(SUBJECT, older, 1);
    GenericRecord old = new GenericData.Record(older);
    old.put("event_id", "e-old");
    old.put("trajectory_id", "t-old");
    old.put("workspace", "w");
    old.put("agent_id", "a");
    old.put("seq", 7L);
    old.put("ts", 1_000L);
    old.put("kind", new GenericData.EnumSymbol(older.getField("kind").schema(), "THOUGHT"));
    old.put("content", "written by an old agent");
    old.put("attributes", Map.of());
    byte[] bytes = confluentBytes(1, older, old);

    // When the current deserializer reads it
    TrajectoryEvent read =
        ConfluentAvroSerde.forValues(TrajectoryEvent.class, registry, false).deserializer().deserialize(TOPIC, bytes);

    // Then the old fields are there and the new ones have their defaults
    assertThat(read.getEventId()).isEqualTo("e-old");
    assertThat(read.getKind()).isEqualTo(StepKind.THOUGHT);
    assertThat(read.getContent()).isEqualTo("written by an old agent");
    assertThat(read.getTags()).isEmpty();
    assertThat(read.getEmbedding()).isNull();
  }

  @Test
  void theWriterSchemaIsFetchedOncePerId() {
    // Given bytes written with schema id 1
    InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    registry.registerWithId(SUBJECT, Schemas.portable(TrajectoryEvent.getClassSchema()), 1);
    Serde<TrajectoryEvent> serde = ConfluentAvroSerde.forValues(TrajectoryEvent.class, registry, false);
    byte[] bytes = serde.serializer().serialize(TOPIC, TestEvents.toolCall());

    // When they are read three times
    for (int i = 0; i < 3; i++) {
      serde.deserializer().deserialize(TOPIC, bytes);
    }

    // Then the registry was asked for the schema once
    assertThat(registry.schemaByIdCalls).hasValue(1);
  }

  @Test
  void anUnconfiguredSerdeSaysHowToConfigureIt() {
    // Given a serde built without a registry and never configured
    ConfluentAvroSerde<TrajectoryEvent> serde = new ConfluentAvroSerde<>(TrajectoryEvent.class);

    // When it is used
    // Then it says what is missing
    assertThatThrownBy(() -> serde.serializer().serialize(TOPIC, TestEvents.toolCall()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("schema.registry.url");
  }

  static Schema withoutFields(Schema schema, String... names) {
    List<String> removed = List.of(names);
    List<Schema.Field> kept =
        schema.getFields().stream()
            .filter(field -> !removed.contains(field.name()))
            .map(field -> new Schema.Field(field, field.schema()))
            .toList();
    return Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false, kept);
  }

  static byte[] confluentBytes(int id, Schema schema, GenericRecord record) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(new byte[] {0, (byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8), (byte) id});
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
    encoder.flush();
    return out.toByteArray();
  }
}
