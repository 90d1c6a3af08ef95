package org.trajlake.sink.trainer;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types;

/**
 * Writes Iceberg generic rows as JSON objects, streaming: structs as objects, lists as arrays, maps as
 * objects with their keys sorted (so the same snapshot always gives the same bytes), timestamps as
 * ISO-8601 UTC instants, binary as base64, nulls kept so every line has every column.
 */
final class JsonRows {
  private JsonRows() {}

  static void write(JsonGenerator json, Record row) throws IOException {
    value(json, row);
  }

  private static void value(JsonGenerator json, Object value) throws IOException {
    if (value == null) {
      json.writeNull();
    } else if (value instanceof Record record) {
      json.writeStartObject();
      List<Types.NestedField> fields = record.struct().fields();
      for (int i = 0; i < fields.size(); i++) {
        json.writeFieldName(fields.get(i).name());
        value(json, record.get(i));
      }
      json.writeEndObject();
    } else if (value instanceof List<?> list) {
      json.writeStartArray();
      for (Object item : list) {
        value(json, item);
      }
      json.writeEndArray();
    } else if (value instanceof Map<?, ?> map) {
      json.writeStartObject();
      Map<String, Object> sorted = new TreeMap<>();
      map.forEach((key, item) -> sorted.put(key.toString(), item));
      for (Map.Entry<String, Object> entry : sorted.entrySet()) {
        json.writeFieldName(entry.getKey());
        value(json, entry.getValue());
      }
      json.writeEndObject();
    } else if (value instanceof CharSequence text) {
      json.writeString(text.toString());
    } else if (value instanceof Double number) {
      json.writeNumber(number);
    } else if (value instanceof Float number) {
      json.writeNumber(number);
    } else if (value instanceof Number number) {
      json.writeNumber(number.longValue());
    } else if (value instanceof Boolean bool) {
      json.writeBoolean(bool);
    } else if (value instanceof OffsetDateTime time) {
      json.writeString(time.toInstant().toString());
    } else if (value instanceof ByteBuffer bytes) {
      byte[] copy = new byte[bytes.remaining()];
      bytes.duplicate().get(copy);
      json.writeBinary(copy);
    } else {
      json.writeString(value.toString());
    }
  }
}
