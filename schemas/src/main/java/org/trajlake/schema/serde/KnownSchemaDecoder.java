package org.trajlake.schema.serde;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntFunction;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;

/**
 * Decodes again Confluent-wire-format payloads that were decoded and checked once already
 * ({@link ConfluentGenericDecoder}), with writer schemas the caller holds: no registry look-up and no
 * checks beyond Avro's. One per thread: it keeps its own readers and buffer. The Iceberg sink holds a
 * batch as encoded payloads and decodes each again on the thread that writes its row.
 */
public final class KnownSchemaDecoder {
  private final IntFunction<Schema> schemas;
  private final Map<Integer, GenericDatumReader<GenericRecord>> readers = new HashMap<>();
  private BinaryDecoder reuse;

  /** @param schemas the writer schema of a schema id the payloads carry */
  public KnownSchemaDecoder(IntFunction<Schema> schemas) {
    this.schemas = schemas;
  }

  /** The payload's record, with its schema id and writer schema. */
  public ConfluentGenericDecoder.WriterRecord decode(byte[] payload) {
    int schemaId = WireFormat.schemaId(payload);
    GenericDatumReader<GenericRecord> reader = readers.computeIfAbsent(schemaId, id -> {
      Schema schema = schemas.apply(id);
      if (schema == null) {
        throw new IllegalStateException("no writer schema for schema id " + id);
      }
      return new GenericDatumReader<>(schema);
    });
    reuse = DecoderFactory.get().binaryDecoder(payload, WireFormat.HEADER_SIZE,
        payload.length - WireFormat.HEADER_SIZE, reuse);
    try {
      return new ConfluentGenericDecoder.WriterRecord(schemaId, reader.getSchema(), reader.read(null, reuse));
    } catch (IOException e) {
      throw new UncheckedIOException("a payload of schema id " + schemaId + " decoded before no longer decodes", e);
    }
  }
}
