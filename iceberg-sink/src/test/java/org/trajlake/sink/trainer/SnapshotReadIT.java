package org.trajlake.sink.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.trajlake.sink.trainer.Trajectories.trajectory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading an old snapshot after newer commits, including an upsert (equality delete plus the new row),
 * returns exactly that snapshot's rows at their versions then.
 */
class SnapshotReadIT {
  @TempDir
  Path dataDir;

  TrainingLake lake;
  long first;
  long second;
  long upserted;

  @BeforeEach
  void threeCommits() {
    lake = TrainingLake.create(dataDir);
    first = lake.append(trajectory("t1").task("a").reward(0.2).build(), trajectory("t2").task("a").reward(0.5).build());
    second = lake.append(trajectory("t3").task("b").reward(0.7).build());
    upserted = lake.upsert(trajectory("t1").task("a").reward(0.9).version(2).build());
  }

  @AfterEach
  void close() throws IOException {
    lake.close();
  }

  @Test
  void theFirstSnapshotHasOnlyItsRowsAtTheirFirstVersion() throws IOException {
    assertThat(rows(first, null)).containsExactlyInAnyOrder("t1@1=0.2", "t2@1=0.5");
  }

  @Test
  void theSnapshotBeforeTheUpsertStillHasTheOldVersion() throws IOException {
    assertThat(rows(second, null)).containsExactlyInAnyOrder("t1@1=0.2", "t2@1=0.5", "t3@1=0.7");
  }

  @Test
  void theUpsertReplacesTheRowSoEachTrajectoryAppearsOnce() throws IOException {
    assertThat(rows(upserted, null)).containsExactlyInAnyOrder("t1@2=0.9", "t2@1=0.5", "t3@1=0.7");
  }

  @Test
  void aFilterSelectsRowsExactlyAtThatSnapshot() throws IOException {
    // Given t1's reward rose from 0.2 to 0.9 in the upsert
    // When both snapshots are read with the same filter
    // Then each gives the rows that matched then, and no row of a kept row group that does not match
    assertThat(rows(first, "reward > 0.5")).isEmpty();
    assertThat(rows(upserted, "reward > 0.5")).containsExactlyInAnyOrder("t1@2=0.9", "t3@1=0.7");
    assertThat(rows(upserted, "task_id = 'a' and version = 1")).containsExactly("t2@1=0.5");
  }

  private List<String> rows(long snapshotId, String where) throws IOException {
    Table table = lake.table();
    List<String> rows = new ArrayList<>();
    try (CloseableIterable<Record> records = new SnapshotReader(table, new TableVersion(snapshotId, null), where).rows()) {
      for (Record record : records) {
        rows.add(record.getField("trajectory_id") + "@" + record.getField("version") + "=" + record.getField("reward"));
      }
    }
    return rows;
  }
}
