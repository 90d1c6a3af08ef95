package org.trajlake.schema.serde;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.trajlake.schema.registry.SchemaRegistry;
import org.trajlake.schema.serde.AvroSerdeException.Reason;

/**
 * Reads Confluent-wire-format Avro as generic records in the writer's own schema, with the schema id
 * they were written with. For sinks that carry every field a writer sent, including fields added after
 * this build's schemas (the Iceberg sink evolves its tables from them). Failures are the same
 * {@link AvroSerdeException}s, with the same reasons, as the typed deserializer's.
 */
public final class ConfluentGenericDecoder {
  /** A decoded record, the registry id of its writer schema, and that schema. */
  public record WriterRecord(int schemaId, Schema schema, GenericRecord value) {}

  private final SchemaRegistry registry;
  private final Map<Integer, GenericDatumReader<GenericRecord>> readers = new ConcurrentHashMap<>();
  private BinaryDecoder reuse;

  public ConfluentGenericDecoder(SchemaRegistry registry) {
    this.registry = registry;
  }

  /**
   * Decodes {@code data} read from {@code topic}.
   *
   * @throws AvroSerdeException with a reason saying whether the record or the registry is at fault
   */
  public WriterRecord decode(String topic, byte[] data) {
    ConfluentAvroDeserializer.checkHeader(topic, data);
    int schemaId = WireFormat.schemaId(data);
    GenericDatumReader<GenericRecord> reader = readers.computeIfAbsent(schemaId,
        id -> new GenericDatumReader<>(ConfluentAvroDeserializer.writerSchema(registry, topic, id)));
    reuse = DecoderFactory.get().binaryDecoder(data, WireFormat.HEADER_SIZE, data.length - WireFormat.HEADER_SIZE, reuse);
    GenericRecord value;
    try {
      value = reader.read(null, reuse);
    } catch (IOException | RuntimeException e) {
      throw new AvroSerdeException(Reason.DECODE_FAILED, "Cannot decode the record from topic '" + topic
          + "' written with schema id " + schemaId + ": " + ConfluentAvroDeserializer.describe(e), e);
    }
    if (ConfluentAvroDeserializer.remaining(reuse) != 0) {
      throw new AvroSerdeException(Reason.DECODE_FAILED, "Payload from topic '" + topic + "' written with schema id "
          + schemaId + " has bytes left after the Avro datum: it was not written with that schema");
    }
    return new WriterRecord(schemaId, reader.getSchema(), value);
  }
}
