package org.trajlake.schema.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;

/** One entry of confluent-vectors.json: a record and the bytes Confluent's serializer wrote for it. */
record ConfluentVector(String name, String subject, int schemaId, Schema schema, JsonNode recordJson, byte[] bytes) {
  private static final ObjectMapper JSON = new ObjectMapper();

  static List<ConfluentVector> load() {
    try (InputStream in = ConfluentVector.class.getResourceAsStream("/confluent-vectors.json")) {
      if (in == null) {
        throw new IllegalStateException("confluent-vectors.json is missing from the test resources");
      }
      List<ConfluentVector> vectors = new ArrayList<>();
      for (JsonNode node : JSON.readTree(in)) {
        vectors.add(
            new ConfluentVector(
                node.get("name").asText(),
                node.get("subject").asText(),
                node.get("schemaId").asInt(),
                new Schema.Parser().parse(node.get("schema").toString()),
                node.get("record"),
                HexFormat.of().parseHex(node.get("hex").asText())));
      }
      return vectors;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String topic() {
    return subject.substring(0, subject.length() - "-value".length());
  }

  @SuppressWarnings("unchecked")
  Class<SpecificRecord> recordClass() {
    try {
      return (Class<SpecificRecord>) Class.forName(schema.getFullName());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("No generated class for " + schema.getFullName(), e);
    }
  }

  /**
   * The record decoded from its Avro JSON encoding. Maps keep the JSON's order: the Avro binary
   * encoding writes map entries in iteration order, so a HashMap would reorder the bytes.
   */
  SpecificRecord record() {
    Class<SpecificRecord> type = recordClass();
    Schema classSchema = SpecificData.getForClass(type).getSchema(type);
    // Generated classes and Avro's fast reader build HashMaps directly; only the plain path honours newMap.
    SpecificData model = new SpecificData(type.getClassLoader());
    model.setCustomCoders(false);
    model.setFastReaderEnabled(false);
    SpecificData.getForClass(type).getConversions().forEach(model::addLogicalTypeConversion);
    SpecificDatumReader<SpecificRecord> reader =
        new SpecificDatumReader<>(classSchema, classSchema, model) {
          @Override
          protected Object newMap(Object old, int size) {
            return new LinkedHashMap<>(size);
          }
        };
    try {
      return reader.read(null, DecoderFactory.get().jsonDecoder(classSchema, recordJson.toString()));
    } catch (IOException e) {
      throw new UncheckedIOException("vector " + name + " has a record that does not match its schema", e);
    }
  }

  @Override
  public String toString() {
    return name;
  }

  static Map<String, ConfluentVector> byName() {
    Map<String, ConfluentVector> vectors = new LinkedHashMap<>();
    load().forEach(vector -> vectors.put(vector.name(), vector));
    return vectors;
  }
}
