package org.trajlake.sink.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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

  @Test
  void threeReaderThreadsGiveOneThreadsRowsInTheSameOrder() throws IOException {
    // Given a dozen more commits, some of them upserts, so the snapshot has many files and deletes
    List<String> expected = new ArrayList<>(List.of("t1@2=0.9", "t2@1=0.5", "t3@1=0.7"));
    for (int i = 0; i < 12; i++) {
      lake.append(trajectory("m" + i).task("c").reward(0.1).build(), trajectory("n" + i).task("c").reward(0.3).build());
      expected.add("n" + i + "@1=0.3");
      if (i % 3 == 0) {
        lake.upsert(trajectory("m" + i).task("c").reward(0.8).version(2).build());
        expected.add("m" + i + "@2=0.8");
      } else {
        expected.add("m" + i + "@1=0.1");
      }
    }
    long latest = lake.table().currentSnapshot().snapshotId();

    // When it is read by one thread and by three
    List<String> oneThread = rows(latest, null, 1);
    List<String> threeThreads = rows(latest, null, 3);

    // Then both give every current row once, in one order
    assertThat(oneThread).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(threeThreads).containsExactlyElementsOf(oneThread);
    assertThat(rows(latest, "reward > 0.5", 3)).containsExactlyInAnyOrder("t1@2=0.9", "t3@1=0.7", "m0@2=0.8",
        "m3@2=0.8", "m6@2=0.8", "m9@2=0.8");
  }

  @Test
  void closingBeforeTheLastRowStopsTheReaders() throws IOException {
    for (int i = 0; i < 8; i++) {
      lake.append(trajectory("m" + i).task("c").build());
    }
    SnapshotReader reader = new SnapshotReader(lake.table(), new TableVersion(lake.table().currentSnapshot().snapshotId(),
        null), "", 2);
    try (CloseableIterable<Record> records = reader.rows()) {
      assertThat(records.iterator().next().getField("trajectory_id")).isNotNull();
    }
    // Then the pool's threads end (an idle pool left open would keep them waiting for work)
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    while (readerThreadsAlive() && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(readerThreadsAlive()).isFalse();
  }

  private static boolean readerThreadsAlive() {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(thread -> thread.getName().startsWith("trajlake-read-") && thread.isAlive());
  }

  @Test
  void aMissingDataFileIsAnErrorNamingIt() throws IOException {
    // Given a data file of the snapshot lost from the warehouse
    String lost = lake.table().currentSnapshot().addedDataFiles(lake.table().io()).iterator().next().location();
    java.nio.file.Files.delete(Path.of(java.net.URI.create(lost)));

    // Then reading the snapshot fails, naming the file, with any thread count
    for (int threads : new int[] {1, 2}) {
      assertThatThrownBy(() -> rows(upserted, null, threads)).hasStackTraceContaining(lost.substring(lost.lastIndexOf('/') + 1));
    }
  }

  private List<String> rows(long snapshotId, String where) throws IOException {
    return rows(snapshotId, where, SnapshotReader.DEFAULT_THREADS);
  }

  private List<String> rows(long snapshotId, String where, int threads) throws IOException {
    Table table = lake.table();
    List<String> rows = new ArrayList<>();
    try (CloseableIterable<Record> records = new SnapshotReader(table, new TableVersion(snapshotId, null), where, threads)
        .rows()) {
      for (Record record : records) {
        rows.add(record.getField("trajectory_id") + "@" + record.getField("version") + "=" + record.getField("reward"));
      }
    }
    return rows;
  }
}
