package org.trajlake.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The build fails on a schema change the registry would reject: each current schema must read
 * data written with every released version (BACKWARD). When a schema is released, add its
 * Schema.toString(true) as the next vN.avsc under src/main/resources/org/trajlake/schema/released.
 */
class SchemaEvolutionTest {

  static List<Schema> currentSchemas() {
    return Schemas.topLevel();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("currentSchemas")
  void everyTopLevelSchemaHasAReleasedVersion(Schema current) {
    // When the released versions of the schema are loaded
    List<Schema> released = ReleasedSchemas.of(current.getName());

    // Then there is at least one, so the compatibility check below has something to check
    assertThat(released).as("released versions of %s", current.getName()).isNotEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("currentSchemas")
  void theCurrentSchemaReadsDataOfEveryReleasedVersion(Schema current) {
    // Given every released version of the schema
    List<Schema> released = ReleasedSchemas.of(current.getName());

    // When the current schema is checked as reader against each of them
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < released.size(); i++) {
      for (String problem : BackwardCompatibility.problems(current, released.get(i))) {
        problems.add(current.getName() + " v" + (i + 1) + ": " + problem);
      }
    }

    // Then there is no problem
    assertThat(problems).as("BACKWARD incompatibilities").isEmpty();
  }

  @Test
  void aNewFieldWithoutADefaultIsRejectedWithAReadableReason() {
    // Given a TrajectoryEvent that adds a required field session_id
    Schema changed = ReleasedSchemas.load("/org/trajlake/schema/incompatible/TrajectoryEvent-new-field-without-default.avsc");

    // When it is checked against released v1
    List<String> problems = BackwardCompatibility.problems(changed, ReleasedSchemas.of("TrajectoryEvent").get(0));

    // Then the check fails, naming the field and saying to give it a default
    assertThat(problems)
        .singleElement()
        .asString()
        .contains("READER_FIELD_MISSING_DEFAULT_VALUE")
        .contains("session_id")
        .contains("give it one");
  }

  @Test
  void aRemovedEnumSymbolIsRejectedWithAReadableReason() {
    // Given a TrajectoryEvent whose status enum lost ABORTED
    Schema changed = ReleasedSchemas.load("/org/trajlake/schema/incompatible/TrajectoryEvent-removed-status-symbol.avsc");

    // When it is checked against released v1, whose data may hold ABORTED
    List<String> problems = BackwardCompatibility.problems(changed, ReleasedSchemas.of("TrajectoryEvent").get(0));

    // Then the check fails, naming the symbol
    assertThat(problems)
        .singleElement()
        .asString()
        .contains("MISSING_ENUM_SYMBOLS")
        .contains("ABORTED")
        .contains("/fields/13");
  }
}
