package org.trajlake.runtime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serde for a service's own state-store values: a format byte, then plain Avro binary, no registry.
 * State is private to the service, so it need not be registered; the format byte leaves room to
 * read an older layout after an upgrade (a changed state schema gets a new format byte and keeps the
 * old schema to read the old one).
 */
public final class AvroStateSerde<T extends SpecificRecord> implements Serde<T> {
  private static final byte FORMAT = 1;

  private final Schema schema;
  private final SpecificDatumWriter<T> writer;
  private final SpecificDatumReader<T> reader;

  public AvroStateSerde(Class<T> type) {
    SpecificData model = SpecificData.getForClass(type);
    this.schema = model.getSchema(type);
    this.writer = new SpecificDatumWriter<>(schema, model);
    this.reader = new SpecificDatumReader<>(schema, schema, model);
  }

  @Override
  public Serializer<T> serializer() {
    return (topic, value) -> value == null ? null : encode(value);
  }

  @Override
  public Deserializer<T> deserializer() {
    return (topic, bytes) -> bytes == null ? null : decode(bytes);
  }

  private byte[] encode(T value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    out.write(FORMAT);
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
    try {
      writer.write(value, encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private T decode(byte[] bytes) {
    if (bytes.length == 0 || bytes[0] != FORMAT) {
      throw new SerializationException("state of " + schema.getFullName() + " has format byte "
          + (bytes.length == 0 ? "(none)" : Byte.toString(bytes[0])) + "; this version reads format " + FORMAT);
    }
    BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, 1, bytes.length - 1, null);
    try {
      return reader.read(null, decoder);
    } catch (IOException e) {
      throw new SerializationException("corrupt state of " + schema.getFullName(), e);
    }
  }
}
