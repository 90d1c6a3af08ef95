package org.trajlake.sink.table;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.util.List;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Type;
import org.junit.jupiter.api.Test;
import org.trajlake.schema.Outcome;
import org.trajlake.schema.RewardedTrajectory;
import org.trajlake.sink.SinkFixtures;

class TableSchemasTest {
  @Test
  void theTrajectoriesTableInlinesTheTrajectoryAndKeepsStepsNested() {
    // When the table schema is derived from RewardedTrajectory
    Schema schema = TableSchemas.trajectories(RewardedTrajectory.getClassSchema());

    // Then the trajectory's fields are top-level columns, steps a list of structs, trajectory_id the identifier
    assertThat(schema.columns().stream().map(c -> c.name()).toList()).startsWith("trajectory_id", "workspace", "agent_id")
        .contains("steps", "assembly_version", "outcomes", "reward", "label_status", "version", "rewarded_at")
        .doesNotContain("trajectory");
    assertThat(schema.identifierFieldNames()).containsExactly("trajectory_id");
    assertThat(schema.findField("trajectory_id").isRequired()).isTrue();
    assertThat(schema.findField("task_id").isOptional()).isTrue();
    assertThat(schema.findType("steps").typeId()).isEqualTo(Type.TypeID.LIST);
    assertThat(schema.findType("steps.element.tool_call.arguments").typeId()).isEqualTo(Type.TypeID.STRING);
    assertThat(schema.findType("ended_at").toString()).isEqualTo("timestamptz");
    assertThat(schema.findType("version").typeId()).isEqualTo(Type.TypeID.LONG);
    assertThat(schema.findType("assembly_version").typeId()).isEqualTo(Type.TypeID.INTEGER);
  }

  @Test
  void aRowCarriesEveryFieldOfTheRecord() {
    // Given a rewarded trajectory with 4 steps
    RewardedTrajectory value = SinkFixtures.rewarded("t-1", 3, 0.75, SinkFixtures.T0, 4);
    Schema schema = TableSchemas.trajectories(RewardedTrajectory.getClassSchema());

    // When it is converted to a row
    Record row = RowConverter.trajectories(schema, RewardedTrajectory.getClassSchema()).convert(value);

    // Then the values are there, enums as text, timestamps as UTC instants, steps nested
    assertThat(row.getField("trajectory_id")).isEqualTo("t-1");
    assertThat(row.getField("status")).isEqualTo("SUCCESS");
    assertThat(row.getField("version")).isEqualTo(3L);
    assertThat(row.getField("reward")).isEqualTo(0.75);
    assertThat(row.getField("label_status")).isEqualTo("LABELED");
    assertThat(row.getField("ended_at")).isEqualTo(OffsetDateTime.parse("2026-03-01T12:00:00Z"));
    List<?> steps = (List<?>) row.getField("steps");
    assertThat(steps).hasSize(4);
    Record call = (Record) steps.get(2);
    assertThat(call.getField("kind")).isEqualTo("TOOL_CALL");
    assertThat(((Record) call.getField("tool_call")).getField("name")).isEqualTo("shell");
    assertThat(((Record) steps.get(3)).getField("tool_result")).isNotNull();
  }

  @Test
  void theOutcomesTableHasTheOutcomeFields() {
    Schema schema = TableSchemas.outcomes(Outcome.getClassSchema());
    assertThat(schema.columns().stream().map(c -> c.name()).toList())
        .containsExactly("outcome_id", "trajectory_id", "workspace", "kind", "value", "ts", "source", "attributes");
  }
}
