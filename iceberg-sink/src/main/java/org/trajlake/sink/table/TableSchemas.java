package org.trajlake.sink.table;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.types.Types.NestedField;

/**
 * Iceberg table schemas derived from the Avro schemas, so a new optional Avro field becomes a new
 * column without code edits.
 *
 * <p>The rules: records become structs, arrays lists, maps maps with string keys, enums strings,
 * {@code timestamp-millis} {@code timestamptz}, {@code [null, X]} an optional X. Every column is
 * optional except the identifier ({@code trajectory_id}): a required column cannot be added to a table
 * that already has rows, and optional columns keep every compatible Avro change a compatible table
 * change. For the trajectories table the {@code trajectory} record of a {@code RewardedTrajectory} is
 * inlined, so trainers write {@code task_id}, not {@code trajectory.task_id}; a nested field whose name
 * is also a top-level field (only {@code version}, the assembly version) gets the prefix
 * {@code assembly_}.
 */
public final class TableSchemas {
  /** The record field of a RewardedTrajectory that is inlined into the row. */
  static final String INLINED_RECORD = "trajectory";
  /** Prefix of an inlined field whose name is taken at the top level. */
  static final String COLLISION_PREFIX = "assembly_";

  private TableSchemas() {}

  /** The trajectories table's schema for a {@code RewardedTrajectory} writer schema. */
  public static org.apache.iceberg.Schema trajectories(Schema rewardedTrajectory) {
    AtomicInteger ids = new AtomicInteger();
    List<NestedField> columns = new ArrayList<>();
    for (FlatField field : flatten(rewardedTrajectory)) {
      columns.add(column(field.column(), field.avro().schema(), field.avro().doc(),
          TableNames.TRAJECTORY_ID.equals(field.column()), ids));
    }
    return withIdentifier(columns, TableNames.TRAJECTORY_ID);
  }

  /** The outcomes table's schema for an {@code Outcome} writer schema. */
  public static org.apache.iceberg.Schema outcomes(Schema outcome) {
    AtomicInteger ids = new AtomicInteger();
    List<NestedField> columns = new ArrayList<>();
    for (Schema.Field field : outcome.getFields()) {
      columns.add(column(field.name(), field.schema(), field.doc(), false, ids));
    }
    return new org.apache.iceberg.Schema(columns);
  }

  /** A top-level column of the trajectories table and the Avro field it comes from. */
  record FlatField(String column, boolean inlined, Schema.Field avro) {}

  /** The columns of a {@code RewardedTrajectory} row, in order: the trajectory's fields first. */
  static List<FlatField> flatten(Schema rewardedTrajectory) {
    Schema.Field inlined = rewardedTrajectory.getField(INLINED_RECORD);
    if (inlined == null || inlined.schema().getType() != Schema.Type.RECORD) {
      throw new IllegalArgumentException(rewardedTrajectory.getFullName() + " has no record field '" + INLINED_RECORD + "'");
    }
    Set<String> topLevel = new java.util.HashSet<>();
    rewardedTrajectory.getFields().forEach(f -> topLevel.add(f.name()));
    List<FlatField> fields = new ArrayList<>();
    for (Schema.Field field : inlined.schema().getFields()) {
      String column = topLevel.contains(field.name()) ? COLLISION_PREFIX + field.name() : field.name();
      fields.add(new FlatField(column, true, field));
    }
    for (Schema.Field field : rewardedTrajectory.getFields()) {
      if (!field.name().equals(INLINED_RECORD)) {
        fields.add(new FlatField(field.name(), false, field));
      }
    }
    return fields;
  }

  private static org.apache.iceberg.Schema withIdentifier(List<NestedField> columns, String identifier) {
    int id = columns.stream().filter(c -> c.name().equals(identifier)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no column '" + identifier + "'")).fieldId();
    return new org.apache.iceberg.Schema(columns, Set.of(id));
  }

  private static NestedField column(String name, Schema avro, String doc, boolean required, AtomicInteger ids) {
    int id = ids.incrementAndGet();
    Type type = type(nonNull(avro), ids);
    return required ? NestedField.required(id, name, type, doc) : NestedField.optional(id, name, type, doc);
  }

  private static Type type(Schema avro, AtomicInteger ids) {
    LogicalType logical = avro.getLogicalType();
    if (logical instanceof LogicalTypes.TimestampMillis || logical instanceof LogicalTypes.TimestampMicros) {
      return Types.TimestampType.withZone();
    }
    switch (avro.getType()) {
      case STRING:
      case ENUM:
        return Types.StringType.get();
      case BOOLEAN:
        return Types.BooleanType.get();
      case INT:
        return Types.IntegerType.get();
      case LONG:
        return Types.LongType.get();
      case FLOAT:
        return Types.FloatType.get();
      case DOUBLE:
        return Types.DoubleType.get();
      case BYTES:
      case FIXED:
        return Types.BinaryType.get();
      case RECORD: {
        List<NestedField> fields = new ArrayList<>();
        for (Schema.Field field : avro.getFields()) {
          fields.add(column(field.name(), field.schema(), field.doc(), false, ids));
        }
        return Types.StructType.of(fields);
      }
      case ARRAY: {
        int elementId = ids.incrementAndGet();
        return Types.ListType.ofOptional(elementId, type(nonNull(avro.getElementType()), ids));
      }
      case MAP: {
        int keyId = ids.incrementAndGet();
        int valueId = ids.incrementAndGet();
        return Types.MapType.ofOptional(keyId, valueId, Types.StringType.get(), type(nonNull(avro.getValueType()), ids));
      }
      default:
        throw new IllegalArgumentException("no Iceberg type for Avro " + avro);
    }
  }

  /** X for {@code [null, X]}; the schema itself otherwise. Unions of several types are not used by the schemas. */
  static Schema nonNull(Schema avro) {
    if (avro.getType() != Schema.Type.UNION) {
      return avro;
    }
    List<Schema> types = avro.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL).toList();
    if (types.size() != 1) {
      throw new IllegalArgumentException("only [null, X] unions map to a column, not " + avro);
    }
    return types.get(0);
  }
}
