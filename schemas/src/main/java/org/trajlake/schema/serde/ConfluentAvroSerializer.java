package org.trajlake.schema.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.trajlake.schema.Schemas;
import org.trajlake.schema.registry.IncompatibleSchemaException;
import org.trajlake.schema.registry.RegistryUnavailableException;
import org.trajlake.schema.registry.SchemaRegistryException;
import org.trajlake.schema.serde.AvroSerdeException.Reason;

/** Writes a record as magic byte 0, its schema id, and its Avro binary encoding. */
final class ConfluentAvroSerializer<T extends SpecificRecord> implements Serializer<T> {
  private final Schema schema;
  private final Schema registeredSchema;
  private final SpecificDatumWriter<T> writer;
  private final Supplier<SerdeBinding> binding;
  // One entry per subject this serializer writes to (normally one), so the hot path needs no registry.
  private final Map<String, Integer> idsBySubject = new ConcurrentHashMap<>();

  ConfluentAvroSerializer(Class<T> type, Supplier<SerdeBinding> binding) {
    SpecificData model = SpecificData.getForClass(type);
    this.schema = model.getSchema(type);
    this.registeredSchema = Schemas.portable(schema);
    this.writer = new SpecificDatumWriter<>(schema, model);
    this.binding = binding;
  }

  @Override
  public byte[] serialize(String topic, T data) {
    if (data == null) {
      return null; // a tombstone stays a tombstone
    }
    SerdeBinding bound = binding.get();
    String subject = bound.subject(topic);
    int id = idsBySubject.computeIfAbsent(subject, s -> schemaId(bound, s));
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    out.writeBytes(WireFormat.header(id));
    try {
      BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
      writer.write(data, encoder);
      encoder.flush();
    } catch (IOException | RuntimeException e) {
      throw new AvroSerdeException(
          Reason.ENCODE_FAILED,
          "Cannot encode "
              + schema.getFullName()
              + " for topic '"
              + topic
              + "' with schema id "
              + id
              + ": "
              + e,
          e);
    }
    return out.toByteArray();
  }

  private int schemaId(SerdeBinding bound, String subject) {
    try {
      if (bound.autoRegister()) {
        return bound.registry().register(subject, registeredSchema);
      }
      OptionalInt id = bound.registry().lookup(subject, registeredSchema);
      if (id.isEmpty()) {
        throw new AvroSerdeException(
            Reason.SCHEMA_NOT_REGISTERED,
            "The schema of "
                + schema.getFullName()
                + " is not registered under subject '"
                + subject
                + "' and "
                + AvroSerdeConfig.AUTO_REGISTER_SCHEMAS
                + " is false: provision the schemas first (trajlake up, or SchemaProvisioner), or"
                + " set "
                + AvroSerdeConfig.AUTO_REGISTER_SCHEMAS
                + "=true. A schema that differs from the registered one (an older or edited"
                + " .avsc) is not registered either.");
      }
      return id.getAsInt();
    } catch (IncompatibleSchemaException e) {
      throw new AvroSerdeException(Reason.INCOMPATIBLE_SCHEMA, e.getMessage(), e);
    } catch (RegistryUnavailableException e) {
      throw new AvroSerdeException(
          Reason.REGISTRY_UNAVAILABLE,
          "Cannot get the schema id of " + schema.getFullName() + " for subject '" + subject + "': " + e.getMessage(),
          e);
    } catch (SchemaRegistryException e) {
      throw new AvroSerdeException(
          Reason.REGISTRY_ERROR,
          "Cannot get the schema id of " + schema.getFullName() + " for subject '" + subject + "': " + e.getMessage(),
          e);
    }
  }
}
