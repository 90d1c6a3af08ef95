package org.trajlake.schema.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.trajlake.schema.Schemas;
import org.trajlake.schema.registry.InMemorySchemaRegistry;

/**
 * Byte-for-byte interoperability with Confluent's own Avro serializer: the vectors in
 * confluent-vectors.json were written by @confluentinc/schemaregistry (see src/test/vectors).
 */
class ConfluentWireFormatTest {

  static List<ConfluentVector> vectors() {
    return ConfluentVector.load();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void writesExactlyTheBytesConfluentWrites(ConfluentVector vector) {
    // Given a registry that holds the vector's schema under the vector's id
    Serde<SpecificRecord> serde = serdeFor(vector);

    // When our serializer writes the vector's record
    byte[] bytes = serde.serializer().serialize(vector.topic(), vector.record());

    // Then the bytes are Confluent's, to the last byte
    assertThat(HexFormat.of().formatHex(bytes)).isEqualTo(HexFormat.of().formatHex(vector.bytes()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void readsTheRecordConfluentWrote(ConfluentVector vector) {
    // Given a registry that holds the vector's schema under the vector's id
    Serde<SpecificRecord> serde = serdeFor(vector);

    // When our deserializer reads Confluent's bytes
    SpecificRecord record = serde.deserializer().deserialize(vector.topic(), vector.bytes());

    // Then it is the vector's record
    assertThat(record).isEqualTo(vector.record());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void vectorSchemaIsTheCurrentSchemaOfItsRecordClass(ConfluentVector vector) {
    // Given the schema the vector was written with, and the schema our generated class carries
    Schema classSchema = SpecificData.getForClass(vector.recordClass()).getSchema(vector.recordClass());

    // When both are reduced to Avro's parsing canonical form (what decides the bytes)
    String ours = SchemaNormalization.toParsingForm(classSchema);
    String theirs = SchemaNormalization.toParsingForm(vector.schema());

    // Then they are the same; if not, the .avsc changed: regenerate the vectors (src/test/vectors/README.md)
    assertThat(theirs).isEqualTo(ours);
  }

  @Test
  void everyTopLevelSchemaHasAVector() {
    // Given the schemas the topics carry
    List<String> topLevel = Schemas.topLevel().stream().map(Schema::getFullName).toList();

    // When listing which schemas the vectors cover
    List<String> covered =
        vectors().stream().map(vector -> vector.schema().getFullName()).distinct().collect(Collectors.toList());

    // Then every top-level schema is pinned by at least one vector
    assertThat(covered).containsAll(topLevel);
  }

  private static Serde<SpecificRecord> serdeFor(ConfluentVector vector) {
    InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    registry.registerWithId(vector.subject(), vector.schema(), vector.schemaId());
    return ConfluentAvroSerde.forValues(vector.recordClass(), registry, false);
  }
}
