package org.trajlake.sink.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.trajlake.sink.trainer.Trajectories.trajectory;

import java.time.Instant;
import java.util.List;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Evaluator;
import org.apache.iceberg.expressions.Expression;
import org.junit.jupiter.api.Test;
import org.trajlake.schema.LabelStatus;

/** What a --where text selects, and what it rejects with which message. */
class RowFilterTest {
  private static final Record GOOD = Trajectories.row(trajectory("t-good").task("fix-bug-12").reward(0.9)
      .endedAt(Instant.parse("2025-06-02T08:00:00Z")).build());
  private static final Record WEAK = Trajectories.row(trajectory("t-weak").task("fix-bug-13").reward(0.2)
      .label(LabelStatus.PARTIAL).build());
  private static final Record UNREWARDED = Trajectories.row(trajectory("t-none").reward(null)
      .label(LabelStatus.UNLABELED).build());
  private static final List<Record> ROWS = List.of(GOOD, WEAK, UNREWARDED);

  @Test
  void comparesNumbersStringsAndTimestamps() {
    assertThat(select("reward > 0.5")).containsExactly("t-good");
    assertThat(select("reward <= 0.2")).containsExactly("t-weak");
    assertThat(select("label_status = 'LABELED'")).containsExactly("t-good");
    assertThat(select("task_id != 'fix-bug-12'")).containsExactly("t-weak");
    assertThat(select("version >= 1")).containsExactly("t-good", "t-weak", "t-none");
    assertThat(select("ended_at > '2025-06-02T00:00:00Z'")).containsExactly("t-good");
    assertThat(select("ended_at < '2025-06-02'")).containsExactly("t-weak", "t-none");
    assertThat(select("ended_at >= '2025-06-02T10:00:00+02:00'")).containsExactly("t-good");
  }

  @Test
  void testsForNullAndMembership() {
    assertThat(select("reward is null")).containsExactly("t-none");
    assertThat(select("task_id IS NOT NULL")).containsExactly("t-good", "t-weak");
    assertThat(select("task_id in ('fix-bug-12', 'other')")).containsExactly("t-good");
    assertThat(select("label_status not in ('LABELED')")).containsExactly("t-weak", "t-none");
  }

  @Test
  void combinesWithAndOrNotAndParentheses() {
    assertThat(select("reward > 0.5 or label_status = 'UNLABELED'")).containsExactly("t-good", "t-none");
    assertThat(select("not (reward > 0.5) and reward is not null")).containsExactly("t-weak");
    assertThat(select("(task_id = 'fix-bug-12' or task_id = 'fix-bug-13') and reward < 0.5")).containsExactly("t-weak");
    assertThat(select("reward > 0.1 and reward < 1 or task_id is null")).containsExactly("t-good", "t-weak", "t-none");
  }

  @Test
  void aComparisonWithANullValueIsNeitherTrueNorFalse() {
    // Given a row without a reward (t-none): as in SQL, neither a comparison nor its negation selects it
    assertThat(select("reward < 0.5")).containsExactly("t-weak");
    assertThat(select("not (reward >= 0.5)")).containsExactly("t-weak");
    assertThat(select("task_id not in ('fix-bug-12')")).containsExactly("t-weak");
    assertThat(select("not (reward < 0.5 and task_id = 'fix-bug-13')")).containsExactly("t-good");
    assertThat(select("not (reward < 0.5 or reward is null)")).containsExactly("t-good");
  }

  @Test
  void quotesInsideStringsAreDoubled() {
    Record quoted = Trajectories.row(trajectory("t-q").task("it's").build());

    Expression filter = RowFilter.parse("task_id = 'it''s'", Trajectories.SCHEMA);

    assertThat(new Evaluator(Trajectories.SCHEMA.asStruct(), filter).eval(wrap(quoted))).isTrue();
  }

  @Test
  void blankSelectsEverything() {
    assertThat(select("  ")).hasSize(3);
  }

  @Test
  void unknownColumnIsNamedAndTheValidOnesListed() {
    assertThatThrownBy(() -> RowFilter.parse("rewrd > 0.5", Trajectories.SCHEMA))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown column 'rewrd'")
        .hasMessageContaining("reward, label_status, reward_spec")
        .hasMessageContaining("task_id");
  }

  @Test
  void nestedColumnsCannotBeFiltered() {
    assertThatThrownBy(() -> RowFilter.parse("steps = 'x'", Trajectories.SCHEMA))
        .hasMessageContaining("column 'steps' is a list and cannot be filtered");
  }

  @Test
  void aValueMustSuitItsColumn() {
    assertThatThrownBy(() -> RowFilter.parse("reward > 'high'", Trajectories.SCHEMA))
        .hasMessageContaining("column 'reward' (double) takes a number");
    assertThatThrownBy(() -> RowFilter.parse("task_id = fix", Trajectories.SCHEMA))
        .hasMessageContaining("column 'task_id' (string) takes a 'quoted string'");
    assertThatThrownBy(() -> RowFilter.parse("ended_at > 'yesterday'", Trajectories.SCHEMA))
        .hasMessageContaining("cannot use 'yesterday' for column 'ended_at'");
    assertThatThrownBy(() -> RowFilter.parse("version = 1.5", Trajectories.SCHEMA))
        .hasMessageContaining("cannot use 1.5 for column 'version'");
  }

  @Test
  void malformedFiltersSayWhere() {
    assertThatThrownBy(() -> RowFilter.parse("reward > 0.5 and", Trajectories.SCHEMA))
        .hasMessageContaining("ends where a column name was expected");
    assertThatThrownBy(() -> RowFilter.parse("(reward > 0.5", Trajectories.SCHEMA))
        .hasMessageContaining("ends where ')' was expected");
    assertThatThrownBy(() -> RowFilter.parse("reward > 0.5 reward < 1", Trajectories.SCHEMA))
        .hasMessageContaining("at position 14 ('reward'): expected 'and', 'or' or the end");
    assertThatThrownBy(() -> RowFilter.parse("task_id = \"x\"", Trajectories.SCHEMA))
        .hasMessageContaining("at position 11: unexpected '\"' (strings take 'single quotes')");
    assertThatThrownBy(() -> RowFilter.parse("reward = null", Trajectories.SCHEMA))
        .hasMessageContaining("compare with null using 'is null' or 'is not null'");
    assertThatThrownBy(() -> RowFilter.parse("reward like 0.5", Trajectories.SCHEMA))
        .hasMessageContaining("('like'): expected a comparison");
    assertThatThrownBy(() -> RowFilter.parse("task_id = 'open", Trajectories.SCHEMA))
        .hasMessageContaining("unexpected '''");
  }

  private static List<String> select(String where) {
    // Given the filter bound to the table schema, as the scan binds it
    Evaluator evaluator = new Evaluator(Trajectories.SCHEMA.asStruct(), RowFilter.parse(where, Trajectories.SCHEMA));
    // When each row is evaluated, Then the ids of the matching ones come back in row order
    return ROWS.stream().filter(row -> evaluator.eval(wrap(row)))
        .map(row -> (String) row.getField("trajectory_id")).toList();
  }

  private static InternalRecordWrapper wrap(Record row) {
    return new InternalRecordWrapper(Trajectories.SCHEMA.asStruct()).wrap(row);
  }
}
