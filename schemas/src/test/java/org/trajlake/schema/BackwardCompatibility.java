package org.trajlake.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityResult;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaIncompatibilityType;

/**
 * The registry's BACKWARD rule, checked at build time: the current schema, as reader, must read
 * every record written with a released schema.
 */
final class BackwardCompatibility {
  private BackwardCompatibility() {}

  /** Why {@code current} cannot read data written with {@code released}; empty when it can. */
  static List<String> problems(Schema current, Schema released) {
    SchemaCompatibilityResult result =
        SchemaCompatibility.checkReaderWriterCompatibility(current, released).getResult();
    if (result.getCompatibility() == SchemaCompatibilityType.COMPATIBLE) {
      return List.of();
    }
    return result.getIncompatibilities().stream().map(BackwardCompatibility::explain).collect(Collectors.toList());
  }

  private static String explain(Incompatibility incompatibility) {
    String inner = explainInsideUnion(incompatibility);
    if (inner != null) {
      return inner;
    }
    String advice =
        switch (incompatibility.getType()) {
          case READER_FIELD_MISSING_DEFAULT_VALUE ->
              "a field was added without a default; give it one (for example \"default\": null with a"
                  + " [\"null\", ...] union)";
          case MISSING_ENUM_SYMBOLS ->
              "an enum symbol was removed; old data still holds it, so keep the symbol or give the enum a"
                  + " \"default\" symbol";
          case TYPE_MISMATCH -> "a field changed to a type old data cannot be promoted to";
          case MISSING_UNION_BRANCH -> "a union lost a branch that old data may use";
          case NAME_MISMATCH -> "a named type was renamed; add the old name as an alias";
          default -> "see the Avro schema resolution rules";
        };
    return incompatibility.getType()
        + " at "
        + incompatibility.getLocation()
        + ": "
        + incompatibility.getMessage()
        + " ("
        + advice
        + ")";
  }

  /**
   * Avro reports a changed named type inside a union (an optional enum or record) only as "reader
   * union lacking writer type". Comparing the two versions of that type says what actually changed.
   */
  private static String explainInsideUnion(Incompatibility incompatibility) {
    Schema reader = incompatibility.getReaderFragment();
    Schema writer = incompatibility.getWriterFragment();
    if (incompatibility.getType() != SchemaIncompatibilityType.MISSING_UNION_BRANCH
        || reader.getType() != Schema.Type.UNION) {
      return null;
    }
    List<Schema> writerBranches = writer.getType() == Schema.Type.UNION ? writer.getTypes() : List.of(writer);
    List<String> problems = new ArrayList<>();
    for (Schema writerBranch : writerBranches) {
      for (Schema readerBranch : reader.getTypes()) {
        if (isNamed(writerBranch) && isNamed(readerBranch) && readerBranch.getFullName().equals(writerBranch.getFullName())) {
          problems.addAll(problems(readerBranch, writerBranch));
        }
      }
    }
    return problems.isEmpty()
        ? null
        : "in the union at " + incompatibility.getLocation() + ": " + String.join("; ", problems);
  }

  private static boolean isNamed(Schema schema) {
    return switch (schema.getType()) {
      case RECORD, ENUM, FIXED -> true;
      default -> false;
    };
  }
}
