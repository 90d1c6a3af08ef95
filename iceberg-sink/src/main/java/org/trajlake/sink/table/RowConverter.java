package org.trajlake.sink.table;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * Turns Avro records written with one writer schema into rows of a table schema. Built once per
 * (writer schema, table schema) pair: the field look-ups are resolved up front, so converting a row
 * is a walk over positions. A column the writer schema lacks (added by a newer writer) is null.
 * String columns hold the decoded Avro {@code Utf8} where there is one (Iceberg's writers take any
 * {@code CharSequence}), so compare them by their text, not with {@code equals} against a String.
 */
public final class RowConverter {
  private final Types.StructType rowType;
  private final Getter[] getters;

  private RowConverter(Types.StructType rowType, Getter[] getters) {
    this.rowType = rowType;
    this.getters = getters;
  }

  /** Rows of the trajectories table from {@code RewardedTrajectory} records of {@code writer}. */
  public static RowConverter trajectories(org.apache.iceberg.Schema table, Schema writer) {
    Map<String, TableSchemas.FlatField> byColumn = new HashMap<>();
    TableSchemas.flatten(writer).forEach(f -> byColumn.put(f.column(), f));
    int inlinedPos = writer.getField(TableSchemas.INLINED_RECORD).pos();
    List<Types.NestedField> columns = table.columns();
    Getter[] getters = new Getter[columns.size()];
    for (int i = 0; i < getters.length; i++) {
      Types.NestedField column = columns.get(i);
      TableSchemas.FlatField source = byColumn.get(column.name());
      if (source == null) {
        getters[i] = record -> null;
        continue;
      }
      int pos = source.avro().pos();
      Function<Object, Object> value = value(column.type(), source.avro().schema());
      getters[i] = source.inlined()
          ? record -> value.apply(((GenericRecord) record.get(inlinedPos)).get(pos))
          : record -> value.apply(record.get(pos));
    }
    return new RowConverter(table.asStruct(), getters);
  }

  /** Rows of a table whose columns are the top-level fields of the writer schema (the outcomes table). */
  public static RowConverter direct(org.apache.iceberg.Schema table, Schema writer) {
    return new RowConverter(table.asStruct(), structGetters(table.asStruct(), writer));
  }

  /** The row for {@code record}. */
  public Record convert(GenericRecord record) {
    Record row = org.apache.iceberg.data.GenericRecord.create(rowType);
    for (int i = 0; i < getters.length; i++) {
      row.set(i, getters[i].get(record));
    }
    return row;
  }

  /**
   * A row of {@code record} with only the columns at {@code positions} filled, the rest null: enough for
   * the partition key when those are the spec's source columns, without building the whole row.
   */
  public Record convertColumns(GenericRecord record, int[] positions) {
    Record row = org.apache.iceberg.data.GenericRecord.create(rowType);
    for (int position : positions) {
      row.set(position, getters[position].get(record));
    }
    return row;
  }

  @FunctionalInterface
  private interface Getter {
    Object get(GenericRecord record);
  }

  private static Getter[] structGetters(Types.StructType struct, Schema avroRecord) {
    List<Types.NestedField> fields = struct.fields();
    Getter[] getters = new Getter[fields.size()];
    for (int i = 0; i < getters.length; i++) {
      Types.NestedField field = fields.get(i);
      Schema.Field source = avroRecord.getField(field.name());
      if (source == null) {
        getters[i] = record -> null;
      } else {
        int pos = source.pos();
        Function<Object, Object> value = value(field.type(), source.schema());
        getters[i] = record -> value.apply(record.get(pos));
      }
    }
    return getters;
  }

  /** Converts one Avro value (null passes through) to the generic value Iceberg's writers take for {@code type}. */
  private static Function<Object, Object> value(Type type, Schema avroSchema) {
    Schema avro = TableSchemas.nonNull(avroSchema);
    Function<Object, Object> convert = switch (type.typeId()) {
      case STRING -> RowConverter::string;
      case BOOLEAN, DOUBLE, BINARY -> v -> v;
      case INTEGER -> v -> ((Number) v).intValue();
      case LONG -> v -> ((Number) v).longValue();
      case FLOAT -> v -> ((Number) v).floatValue();
      case TIMESTAMP -> timestamp(avro);
      case STRUCT -> struct(type.asStructType(), avro);
      case LIST -> list(type.asListType(), avro);
      case MAP -> map(type.asMapType(), avro);
      default -> throw new IllegalArgumentException("no conversion to " + type);
    };
    return v -> v == null ? null : convert.apply(v);
  }

  /**
   * A decoded Avro string as it is, anything else (a String, an enum symbol) as its text. Iceberg's
   * Parquet writer writes a {@link Utf8}'s bytes as they are; made a String here, it was decoded from
   * those bytes and encoded back to them on writing: a third of what the writing thread allocated.
   */
  private static Object string(Object value) {
    return value instanceof Utf8 ? value : value.toString();
  }

  private static Function<Object, Object> timestamp(Schema avro) {
    boolean micros = avro.getLogicalType() instanceof LogicalTypes.TimestampMicros;
    return v -> {
      if (v instanceof Instant instant) {
        return utc(instant.getEpochSecond(), instant.getNano());
      }
      long value = ((Number) v).longValue();
      return micros ? utc(Math.floorDiv(value, 1_000_000L), (int) Math.floorMod(value, 1_000_000L) * 1_000)
          : utc(Math.floorDiv(value, 1_000L), (int) Math.floorMod(value, 1_000L) * 1_000_000);
    };
  }

  /**
   * The UTC date-time of an epoch second and nano. Not {@code Instant.atOffset}: that asks the offset for
   * its rules, and {@code ZoneOffset.getRules()} builds a new {@code ZoneRules} on every call, which showed
   * in the sink's profile (several timestamps per step, twenty steps per row).
   */
  private static OffsetDateTime utc(long epochSecond, int nanos) {
    return OffsetDateTime.of(LocalDateTime.ofEpochSecond(epochSecond, nanos, ZoneOffset.UTC), ZoneOffset.UTC);
  }

  private static Function<Object, Object> struct(Types.StructType struct, Schema avro) {
    Getter[] getters = structGetters(struct, avro);
    return v -> {
      GenericRecord record = (GenericRecord) v;
      Record row = org.apache.iceberg.data.GenericRecord.create(struct);
      for (int i = 0; i < getters.length; i++) {
        row.set(i, getters[i].get(record));
      }
      return row;
    };
  }

  private static Function<Object, Object> list(Types.ListType list, Schema avro) {
    Function<Object, Object> element = value(list.elementType(), avro.getElementType());
    return v -> {
      List<?> values = (List<?>) v;
      List<Object> out = new ArrayList<>(values.size());
      for (Object item : values) {
        out.add(element.apply(item));
      }
      return out;
    };
  }

  private static Function<Object, Object> map(Types.MapType map, Schema avro) {
    Function<Object, Object> element = value(map.valueType(), avro.getValueType());
    return v -> {
      Map<?, ?> values = (Map<?, ?>) v;
      Map<Object, Object> out = new HashMap<>(Math.max(4, values.size() * 2));
      values.forEach((key, value) -> out.put(string(key), element.apply(value)));
      return out;
    };
  }
}
