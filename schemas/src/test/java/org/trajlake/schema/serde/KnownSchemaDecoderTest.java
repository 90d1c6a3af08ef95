package org.trajlake.schema.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

class KnownSchemaDecoderTest {
  private static final Schema V1 = SchemaBuilder.record("Thing").fields().requiredString("id").endRecord();
  private static final Schema V2 = SchemaBuilder.record("Thing").fields().requiredString("id")
      .optionalLong("size").endRecord();

  @Test
  void decodesPayloadsOfEachWriterSchemaByTheIdTheyCarry() throws IOException {
    // Given payloads written with two schema versions, and the writer schemas by id
    GenericRecord first = new GenericData.Record(V1);
    first.put("id", "a");
    GenericRecord second = new GenericData.Record(V2);
    second.put("id", "b");
    second.put("size", 42L);
    KnownSchemaDecoder decoder = new KnownSchemaDecoder(Map.of(11, V1, 12, V2)::get);

    // When each is decoded, in turn and again
    for (int round = 0; round < 2; round++) {
      ConfluentGenericDecoder.WriterRecord a = decoder.decode(payload(11, V1, first));
      ConfluentGenericDecoder.WriterRecord b = decoder.decode(payload(12, V2, second));

      // Then each comes back in its own writer schema, with its id
      assertThat(a.schemaId()).isEqualTo(11);
      assertThat(a.schema()).isEqualTo(V1);
      assertThat(a.value().get("id")).hasToString("a");
      assertThat(b.schemaId()).isEqualTo(12);
      assertThat(b.value().get("size")).isEqualTo(42L);
    }
  }

  @Test
  void aSchemaIdItHasNoSchemaForIsAnErrorNamingTheId() throws IOException {
    KnownSchemaDecoder decoder = new KnownSchemaDecoder(Map.of(11, V1)::get);
    GenericRecord record = new GenericData.Record(V1);
    record.put("id", "a");

    assertThatThrownBy(() -> decoder.decode(payload(99, V1, record))).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("schema id 99");
  }

  private static byte[] payload(int schemaId, Schema schema, GenericRecord record) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.write(WireFormat.header(schemaId));
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
    new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
    encoder.flush();
    return bytes.toByteArray();
  }
}
