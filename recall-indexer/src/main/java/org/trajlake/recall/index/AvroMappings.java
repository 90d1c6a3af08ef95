package org.trajlake.recall.index;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.IndexedRecord;

/**
 * OpenSearch mappings and documents derived from the Avro schemas, so a new optional field reaches
 * the index without code edits. One set of rules serves both, so a document always fits its mapping:
 *
 * <ul>
 *   <li>string: {@code keyword}, or {@code text} for the paths named as text;
 *   <li>enum: {@code keyword}; int, long, float, double, boolean: the same numeric type;
 *   <li>long with logical type timestamp-millis: {@code date} (epoch milliseconds);
 *   <li>record: {@code object}, or {@code nested} for the paths named as nested, or an object that
 *       is kept in {@code _source} but not indexed for the paths named as stored-only;
 *   <li>array: its element's mapping (OpenSearch fields are multi-valued);
 *   <li>map: {@code flat_object} (free keys, searchable without growing the mapping);
 *   <li>a nullable union: its non-null branch; paths named as excluded are left out of both.
 * </ul>
 */
final class AvroMappings {
  /** Which paths (dotted field names) get a non-default treatment. */
  record Rules(Set<String> text, Set<String> nested, Set<String> storedOnly, Set<String> excluded, int maxTextChars) {}

  private final Rules rules;

  AvroMappings(Rules rules) {
    this.rules = rules;
  }

  /** The mapping properties of a record's fields. */
  Map<String, Object> properties(Schema record, String path) {
    Map<String, Object> properties = new LinkedHashMap<>();
    for (Schema.Field field : record.getFields()) {
      String fieldPath = path.isEmpty() ? field.name() : path + "." + field.name();
      if (!rules.excluded().contains(fieldPath)) {
        properties.put(field.name(), mapping(field.schema(), fieldPath));
      }
    }
    return properties;
  }

  private Map<String, Object> mapping(Schema schema, String path) {
    if (rules.storedOnly().contains(path)) {
      return Map.of("type", "object", "enabled", false);
    }
    Schema type = nonNull(schema);
    switch (type.getType()) {
      case STRING:
        return rules.text().contains(path) ? Map.of("type", "text") : Map.of("type", "keyword", "ignore_above", 1024);
      case ENUM:
        return Map.of("type", "keyword");
      case INT:
        return Map.of("type", "integer");
      case LONG:
        return type.getLogicalType() instanceof LogicalTypes.TimestampMillis
            ? Map.of("type", "date", "format", "epoch_millis")
            : Map.of("type", "long");
      case FLOAT:
        return Map.of("type", "float");
      case DOUBLE:
        return Map.of("type", "double");
      case BOOLEAN:
        return Map.of("type", "boolean");
      case RECORD:
        return Map.of("type", rules.nested().contains(path) ? "nested" : "object", "properties", properties(type, path));
      case ARRAY:
        return mapping(type.getElementType(), path);
      case MAP:
        return Map.of("type", "flat_object");
      default:
        // bytes, fixed, multi-branch unions: kept in _source, not indexed.
        return Map.of("type", "object", "enabled", false);
    }
  }

  /** The JSON-ready document of a record: the same fields as {@link #properties}, texts capped. */
  Map<String, Object> document(IndexedRecord record, String path) {
    Map<String, Object> document = new LinkedHashMap<>();
    for (Schema.Field field : record.getSchema().getFields()) {
      String fieldPath = path.isEmpty() ? field.name() : path + "." + field.name();
      Object value = record.get(field.pos());
      if (value != null && !rules.excluded().contains(fieldPath)) {
        document.put(field.name(), value(value, field.schema(), fieldPath));
      }
    }
    return document;
  }

  private Object value(Object value, Schema schema, String path) {
    Schema type = nonNull(schema);
    switch (type.getType()) {
      case STRING:
        String text = value.toString();
        return rules.text().contains(path) && text.length() > rules.maxTextChars()
            ? text.substring(0, rules.maxTextChars())
            : text;
      case ENUM:
        return value.toString();
      case LONG:
        return value instanceof Instant instant ? instant.toEpochMilli() : value;
      case RECORD:
        return document((IndexedRecord) value, path);
      case ARRAY:
        List<Object> items = new ArrayList<>();
        for (Object item : (Iterable<?>) value) {
          if (item != null) {
            items.add(value(item, type.getElementType(), path));
          }
        }
        return items;
      case MAP:
        Map<String, Object> map = new LinkedHashMap<>();
        ((Map<?, ?>) value).forEach((key, item) -> map.put(key.toString(), item == null ? null : item.toString()));
        return map;
      default:
        return value instanceof GenericData.EnumSymbol ? value.toString() : value;
    }
  }

  private static Schema nonNull(Schema schema) {
    if (schema.getType() != Schema.Type.UNION) {
      return schema;
    }
    List<Schema> branches = schema.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).toList();
    return branches.size() == 1 ? branches.get(0) : schema;
  }
}
