package org.trajlake.schema.serde;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.trajlake.schema.Schemas;
import org.trajlake.schema.TestEvents;
import org.trajlake.schema.TrajectoryEvent;
import org.trajlake.schema.registry.InMemorySchemaRegistry;
import org.trajlake.schema.registry.RegistryUnavailableException;
import org.trajlake.schema.serde.AvroSerdeException.Reason;

/** Every way a payload can be bad, and the reason a stage would put on its dead-letter record. */
class BadBytesTest {
  private static final String TOPIC = "trajlake.events";

  private InMemorySchemaRegistry registry;
  private Deserializer<TrajectoryEvent> deserializer;
  private byte[] valid;

  @BeforeEach
  void setUp() {
    registry = new InMemorySchemaRegistry();
    registry.registerWithId(TOPIC + "-value", Schemas.portable(TrajectoryEvent.getClassSchema()), 1);
    ConfluentAvroSerde<TrajectoryEvent> serde = ConfluentAvroSerde.forValues(TrajectoryEvent.class, registry, false);
    deserializer = serde.deserializer();
    valid = serde.serializer().serialize(TOPIC, TestEvents.toolCall());
  }

  @Test
  void anEmptyPayloadHasNoMagicByte() {
    // When zero bytes are read
    // Then the reason is NO_MAGIC_BYTE, and the message says the payload is empty
    assertThatThrownBy(() -> deserializer.deserialize(TOPIC, new byte[0]))
        .isInstanceOfSatisfying(AvroSerdeException.class, e -> assertReason(e, Reason.NO_MAGIC_BYTE))
        .hasMessageContaining("is empty");
  }

  @Test
  void aPayloadShorterThanTheHeaderHasNoMagicByte() {
    // When three bytes are read
    // Then the reason is NO_MAGIC_BYTE, and the message says how short it is
    assertThatThrownBy(() -> deserializer.deserialize(TOPIC, new byte[] {0, 0, 1}))
        .isInstanceOfSatisfying(AvroSerdeException.class, e -> assertReason(e, Reason.NO_MAGIC_BYTE))
        .hasMessageContaining("only 3 bytes")
        .hasMessageContaining("5-byte");
  }

  @Test
  void aWrongFirstByteIsNotTheMagicByte() {
    // Given a JSON payload, as a producer without the Avro serializer would write
    byte[] json = "{\"event_id\":\"e\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    // When it is read
    // Then the reason is NO_MAGIC_BYTE, naming the byte found
    assertThatThrownBy(() -> deserializer.deserialize(TOPIC, json))
        .isInstanceOfSatisfying(AvroSerdeException.class, e -> assertReason(e, Reason.NO_MAGIC_BYTE))
        .hasMessageContaining("0x7b");
  }

  @Test
  void anUnknownSchemaIdIsNamed() {
    // Given a valid payload pointing at schema id 4242
    byte[] bytes = valid.clone();
    bytes[1] = 0;
    bytes[2] = 0;
    bytes[3] = 0x10;
    bytes[4] = (byte) 0x92;

    // When it is read
    // Then the reason is UNKNOWN_SCHEMA_ID, naming the id
    assertThatThrownBy(() -> deserializer.deserialize(TOPIC, bytes))
        .isInstanceOfSatisfying(AvroSerdeException.class, e -> assertReason(e, Reason.UNKNOWN_SCHEMA_ID))
        .hasMessageContaining("schema id 4242");
  }

  @Test
  void aTruncatedDatumFailsToDecode() {
    // Given a payload cut in the middle of the datum
    byte[] truncated = Arrays.copyOf(valid, valid.length / 2);

    // When it is read
    // Then the reason is DECODE_FAILED, naming the writer id and saying it is truncated
    assertThatThrownBy(() -> deserializer.deserialize(TOPIC, truncated))
        .isInstanceOfSatisfying(AvroSerdeException.class, e -> assertReason(e, Reason.DECODE_FAILED))
        .hasMessageContaining("schema id 1")
        .hasMessageContaining("truncated");
  }

  @Test
  void bytesLeftAfterTheDatumFailToDecode() {
    // Given a valid payload with two extra bytes
    byte[] padded = Arrays.copyOf(valid, valid.length + 2);

    // When it is read
    // Then the reason is DECODE_FAILED, saying bytes were left over
    assertThatThrownBy(() -> deserializer.deserialize(TOPIC, padded))
        .isInstanceOfSatisfying(AvroSerdeException.class, e -> assertReason(e, Reason.DECODE_FAILED))
        .hasMessageContaining("schema id 1")
        .hasMessageContaining("2 bytes left after the Avro datum");
  }

  @Test
  void aCorruptLengthFailsToDecodeWithoutExhaustingMemory() {
    // Given a header followed by a string length of about a gigabyte and nothing else
    byte[] corrupt = {0, 0, 0, 0, 1, (byte) 0xfe, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07};

    // When it is read
    // Then it is a decode failure, not an OutOfMemoryError
    assertThatThrownBy(() -> deserializer.deserialize(TOPIC, corrupt))
        .isInstanceOfSatisfying(AvroSerdeException.class, e -> assertReason(e, Reason.DECODE_FAILED));
  }

  @Test
  void anUnavailableRegistryIsNotTheRecordsFault() {
    // Given a registry that cannot be reached, and a fresh deserializer with nothing cached
    registry.breakWith(new RegistryUnavailableException("http://registry:8080", 4, 503, "HTTP 503", null));
    Deserializer<TrajectoryEvent> fresh =
        ConfluentAvroSerde.forValues(TrajectoryEvent.class, registry, false).deserializer();

    // When a valid payload is read
    // Then the reason is REGISTRY_UNAVAILABLE, which a stage must not dead-letter
    assertThatThrownBy(() -> fresh.deserialize(TOPIC, valid))
        .isInstanceOfSatisfying(AvroSerdeException.class, e -> assertReason(e, Reason.REGISTRY_UNAVAILABLE))
        .hasMessageContaining("http://registry:8080");
  }

  private static void assertReason(AvroSerdeException e, Reason expected) {
    org.assertj.core.api.Assertions.assertThat(e.reason()).isEqualTo(expected);
    org.assertj.core.api.Assertions.assertThat(e).isInstanceOf(SerializationException.class);
    org.assertj.core.api.Assertions.assertThat(e.reason().isBadRecord())
        .isEqualTo(expected != Reason.REGISTRY_UNAVAILABLE && expected != Reason.REGISTRY_ERROR);
  }
}
