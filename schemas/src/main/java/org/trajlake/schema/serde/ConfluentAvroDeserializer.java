package org.trajlake.schema.serde;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.trajlake.schema.registry.RegistryUnavailableException;
import org.trajlake.schema.registry.SchemaRegistry;
import org.trajlake.schema.registry.SchemaRegistryException;
import org.trajlake.schema.registry.UnknownSchemaIdException;
import org.trajlake.schema.serde.AvroSerdeException.Reason;

/**
 * Reads Confluent-wire-format Avro written with any registered version of the schema: the writer
 * schema named by the id is resolved against the class's schema (Avro schema resolution), so a field
 * added since the writer's version takes its default.
 */
final class ConfluentAvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {
  private final Schema readerSchema;
  private final SpecificData model;
  private final Supplier<SerdeBinding> binding;
  // Building a resolving reader is costly; writer ids per topic are few, so keep one per id.
  private final Map<Integer, DatumReader<T>> readersByWriterId = new ConcurrentHashMap<>();

  ConfluentAvroDeserializer(Class<T> type, Supplier<SerdeBinding> binding) {
    this.model = SpecificData.getForClass(type);
    this.readerSchema = model.getSchema(type);
    this.binding = binding;
  }

  @Override
  public T deserialize(String topic, byte[] data) {
    if (data == null) {
      return null; // a tombstone stays a tombstone
    }
    checkHeader(topic, data);
    int writerId = WireFormat.schemaId(data);
    DatumReader<T> reader = reader(topic, writerId);
    BinaryDecoder decoder =
        DecoderFactory.get().binaryDecoder(data, WireFormat.HEADER_SIZE, data.length - WireFormat.HEADER_SIZE, null);
    T value;
    try {
      value = reader.read(null, decoder);
    } catch (IOException | RuntimeException e) {
      throw new AvroSerdeException(
          Reason.DECODE_FAILED,
          "Cannot decode "
              + readerSchema.getFullName()
              + " from topic '"
              + topic
              + "' written with schema id "
              + writerId
              + ": "
              + describe(e),
          e);
    }
    int remaining = remaining(decoder);
    if (remaining != 0) {
      throw new AvroSerdeException(
          Reason.DECODE_FAILED,
          "Payload from topic '"
              + topic
              + "' written with schema id "
              + writerId
              + " has "
              + (remaining > 0 ? remaining + " bytes" : "bytes")
              + " left after the Avro datum: it was not written with that schema, or two payloads were"
              + " concatenated");
    }
    return value;
  }

  static void checkHeader(String topic, byte[] data) {
    if (data.length < WireFormat.HEADER_SIZE) {
      throw new AvroSerdeException(
          Reason.NO_MAGIC_BYTE,
          "Payload from topic '"
              + topic
              + "' is "
              + (data.length == 0 ? "empty" : "only " + data.length + (data.length == 1 ? " byte" : " bytes"))
              + ", shorter than the 5-byte Confluent header (magic byte 0 and a 4-byte schema id)");
    }
    if (data[0] != WireFormat.MAGIC_BYTE) {
      throw new AvroSerdeException(
          Reason.NO_MAGIC_BYTE,
          String.format(
              "Payload from topic '%s' starts with byte 0x%02x, not the magic byte 0x00 of the Confluent"
                  + " wire format: it was not written by a schema-registry Avro serializer",
              topic, data[0] & 0xff));
    }
  }

  private DatumReader<T> reader(String topic, int writerId) {
    DatumReader<T> cached = readersByWriterId.get(writerId);
    if (cached != null) {
      return cached;
    }
    SerdeBinding bound = binding.get();
    Schema writerSchema = writerSchema(bound.registry(), topic, writerId);
    DatumReader<T> reader = new SpecificDatumReader<>(writerSchema, readerSchema, model);
    if (readersByWriterId.size() >= bound.cacheCapacity()) {
      // Only ids the registry knows get here, so this is rare; starting over keeps memory bounded.
      readersByWriterId.clear();
    }
    readersByWriterId.put(writerId, reader);
    return reader;
  }

  static Schema writerSchema(SchemaRegistry registry, String topic, int writerId) {
    try {
      return registry.schemaById(writerId);
    } catch (UnknownSchemaIdException e) {
      throw new AvroSerdeException(
          Reason.UNKNOWN_SCHEMA_ID,
          "Payload from topic '"
              + topic
              + "' names schema id "
              + writerId
              + ", which the schema registry does not know: it was written against another registry, or"
              + " the schema was deleted",
          e);
    } catch (RegistryUnavailableException e) {
      throw new AvroSerdeException(
          Reason.REGISTRY_UNAVAILABLE,
          "Cannot fetch writer schema id " + writerId + " for topic '" + topic + "': " + e.getMessage(),
          e);
    } catch (SchemaRegistryException e) {
      throw new AvroSerdeException(
          Reason.REGISTRY_ERROR,
          "Cannot fetch writer schema id " + writerId + " for topic '" + topic + "': " + e.getMessage(),
          e);
    }
  }

  /** Bytes the decoder has not consumed; -1 when some remain but the count is unknown. */
  static int remaining(BinaryDecoder decoder) {
    try {
      if (decoder.isEnd()) {
        return 0;
      }
      int available = decoder.inputStream().available();
      return available > 0 ? available : -1;
    } catch (IOException e) {
      return -1;
    }
  }

  static String describe(Exception e) {
    if (e instanceof java.io.EOFException) {
      return "the payload ends in the middle of the datum (truncated)";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
  }
}
