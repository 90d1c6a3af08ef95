package org.trajlake.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/**
 * Every record, enum and field reachable from the topics' schemas has a doc: the docs become the
 * Iceberg column comments and the OpenSearch mapping's meaning, and agents' authors read them.
 */
class SchemaDocTest {

  @Test
  void everyNamedTypeAndFieldIsDocumented() {
    // Given every record, enum and field reachable from the top-level schemas
    List<String> undocumented = new ArrayList<>();
    Set<String> visited = new HashSet<>();

    // When their docs are collected
    Schemas.topLevel().forEach(schema -> collectUndocumented(schema, visited, undocumented));

    // Then none is blank
    assertThat(undocumented).as("types and fields without a doc").isEmpty();
    assertThat(visited).contains("org.trajlake.schema.StepKind", "org.trajlake.schema.ToolResult");
  }

  private static void collectUndocumented(Schema schema, Set<String> visited, List<String> undocumented) {
    switch (schema.getType()) {
      case RECORD -> {
        if (!visited.add(schema.getFullName())) {
          return;
        }
        requireDoc(schema.getDoc(), "record " + schema.getFullName(), undocumented);
        for (Schema.Field field : schema.getFields()) {
          requireDoc(field.doc(), "field " + schema.getName() + "." + field.name(), undocumented);
          collectUndocumented(field.schema(), visited, undocumented);
        }
      }
      case ENUM -> {
        if (visited.add(schema.getFullName())) {
          requireDoc(schema.getDoc(), "enum " + schema.getFullName(), undocumented);
        }
      }
      case FIXED -> {
        if (visited.add(schema.getFullName())) {
          requireDoc(schema.getDoc(), "fixed " + schema.getFullName(), undocumented);
        }
      }
      case UNION -> schema.getTypes().forEach(branch -> collectUndocumented(branch, visited, undocumented));
      case ARRAY -> collectUndocumented(schema.getElementType(), visited, undocumented);
      case MAP -> collectUndocumented(schema.getValueType(), visited, undocumented);
      default -> {}
    }
  }

  private static void requireDoc(String doc, String what, List<String> undocumented) {
    if (doc == null || doc.isBlank()) {
      undocumented.add(what);
    }
  }
}
