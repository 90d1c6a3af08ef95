package org.trajlake.sink.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.trajlake.sink.trainer.Trajectories.DAY;
import static org.trajlake.sink.trainer.Trajectories.trajectory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trajlake.sink.trainer.Snapshots;
import org.trajlake.sink.trainer.TrainingLake;

/**
 * Compaction and expiry on a real Iceberg table (SQLite catalog in a temp dir) committed to the way the
 * sink commits: small appends and upserts by global equality delete.
 */
class CompactionIT {
  private static final Instant NEXT_DAY = DAY.plus(Duration.ofDays(1));

  @TempDir
  Path dataDir;

  TrainingLake lake;

  @BeforeEach
  void lake() {
    lake = TrainingLake.create(dataDir);
  }

  @AfterEach
  void close() throws IOException {
    lake.close();
  }

  @Test
  void smallFilesAndUpsertsBecomeOneFilePerPartitionWithNoDeletesLeftAndOldSnapshotsKeepTheirRows() {
    // Given three small appends over two days and an upsert that replaces t1
    long first = lake.append(trajectory("t1").reward(0.1).build(), trajectory("t2").reward(0.2).build());
    lake.append(trajectory("t3").reward(0.3).build());
    lake.append(trajectory("t4").endedAt(NEXT_DAY).reward(0.4).build(), trajectory("t5").endedAt(NEXT_DAY).build());
    lake.append(trajectory("t6").endedAt(NEXT_DAY).reward(0.6).build());
    long upserted = lake.upsert(trajectory("t1").version(2).reward(0.9).build());
    List<String> before = rows(upserted);

    // When the table is compacted with the default options
    CompactionResult result = new Compactor(lake.table(), CompactionOptions.defaults(lake.table())).compact();

    // Then every file was small, so both partitions became one file each and the delete was folded in
    assertThat(result.committed()).isTrue();
    assertThat(result.dataFilesRewritten()).isEqualTo(5);
    assertThat(result.dataFilesAdded()).isEqualTo(2);
    assertThat(result.deleteFilesRemoved()).isEqualTo(1);
    assertThat(result.rows()).isEqualTo(6);
    assertThat(files(lake.table(), result.snapshotId())).hasSize(2).allSatisfy(task -> assertThat(task.deletes()).isEmpty());
    // and the current snapshot reads the same rows, each trajectory once at its latest version
    assertThat(rows(result.snapshotId())).containsExactlyInAnyOrderElementsOf(before).contains("t1@2=0.9");
    // and a snapshot from before still reads exactly its rows
    assertThat(rows(first)).containsExactlyInAnyOrder("t1@1=0.1", "t2@1=0.2");
    // and a second run finds nothing to do
    assertThat(new Compactor(lake.table(), CompactionOptions.defaults(lake.table())).compact().committed()).isFalse();
  }

  @Test
  void anUpsertCommittedWhileTheCompactionRunsStillReplacesTheRowItRewrote() {
    // Given t1 and t2 in two small files
    lake.append(trajectory("t1").reward(0.1).build());
    lake.append(trajectory("t2").reward(0.2).build());

    // When the sink upserts t2 after the compaction has written its files and before it commits
    CompactionResult result = new Compactor(lake.table(), CompactionOptions.defaults(lake.table()),
        () -> lake.upsert(trajectory("t2").version(2).reward(0.8).build())).compact();

    // Then the compaction commits on top of the upsert (its first attempt lost the race)
    assertThat(result.committed()).isTrue();
    Table table = lake.table();
    assertThat(table.currentSnapshot().snapshotId()).isEqualTo(result.snapshotId());
    // and the upsert's delete, newer than the rewritten rows' sequence number, still hides t2's first version
    assertThat(rows(result.snapshotId())).containsExactlyInAnyOrder("t1@1=0.1", "t2@2=0.8");
  }

  @Test
  void aDeleteStaysWhileAnOlderFileIsKeptAndGoesWhenEverythingIsRewritten() {
    // Given one file on the next day and, on the first day, two files and an upsert
    lake.append(trajectory("t9").endedAt(NEXT_DAY).reward(0.9).build());
    lake.append(trajectory("t1").reward(0.1).build(), trajectory("t2").reward(0.2).build());
    lake.upsert(trajectory("t1").version(2).reward(0.7).build());

    // When a default compaction runs: the lone next-day file gains nothing from a rewrite and is kept
    CompactionResult partial = new Compactor(lake.table(), CompactionOptions.defaults(lake.table())).compact();

    // Then the delete is kept, since that older file is still there for it to apply to
    assertThat(partial.dataFilesRewritten()).isEqualTo(2);
    assertThat(partial.dataFilesKept()).isEqualTo(1);
    assertThat(partial.deleteFilesRemoved()).isZero();
    assertThat(partial.deleteFilesKept()).isEqualTo(1);
    assertThat(rows(partial.snapshotId())).containsExactlyInAnyOrder("t9@1=0.9", "t1@2=0.7", "t2@1=0.2");

    // When everything is rewritten
    CompactionResult all = new Compactor(lake.table(), CompactionOptions.defaults(lake.table()).withRewriteAll(true))
        .compact();

    // Then no delete file is left and the rows are the same
    assertThat(all.deleteFilesRemoved()).isEqualTo(1);
    assertThat(files(lake.table(), all.snapshotId())).allSatisfy(task -> assertThat(task.deletes()).isEmpty());
    assertThat(rows(all.snapshotId())).containsExactlyInAnyOrder("t9@1=0.9", "t1@2=0.7", "t2@1=0.2");
  }

  @Test
  void expiryKeepsTaggedSnapshotsAndTheLastSinkSnapshotAndDeletesTheRest() {
    // Given sink commits, a tag on the first, and a compaction on top of the last sink commit
    long tagged = lake.append(trajectory("t1").reward(0.1).build());
    long middle = lake.append(trajectory("t2").reward(0.2).build());
    long lastSink = lake.upsert(trajectory("t1").version(2).reward(0.5).build());
    new Snapshots(lake.table()).tag("sft-v1", tagged, false);
    CompactionResult compacted = new Compactor(lake.table(), CompactionOptions.defaults(lake.table())).compact();

    // When every snapshot older than a minute from now is expired, keeping only the newest one
    SnapshotExpiry.Result dryRun = new SnapshotExpiry(lake.table()).expire(Instant.now().plusSeconds(60), 1, true);
    SnapshotExpiry.Result result = new SnapshotExpiry(lake.table()).expire(Instant.now().plusSeconds(60), 1, false);

    // Then the cut-off moved back to the last sink snapshot, which stays, as does the tagged one
    assertThat(result.sinkSnapshotId()).isEqualTo(lastSink);
    assertThat(result.expired()).containsExactly(middle);
    assertThat(dryRun.expired()).isEqualTo(result.expired());
    Table table = lake.table();
    assertThat(table.snapshot(middle)).isNull();
    assertThat(table.snapshot(lastSink)).isNotNull();
    assertThat(table.snapshot(compacted.snapshotId())).isNotNull();
    // and the tagged snapshot still reads its rows: its files were not deleted
    assertThat(rows(tagged)).containsExactly("t1@1=0.1");
    assertThat(rows(compacted.snapshotId())).containsExactlyInAnyOrder("t1@2=0.5", "t2@1=0.2");
  }

  private List<String> rows(long snapshotId) {
    List<String> rows = new ArrayList<>();
    try (CloseableIterable<Record> records = IcebergGenerics.read(lake.table()).useSnapshot(snapshotId).build()) {
      for (Record record : records) {
        rows.add(record.getField("trajectory_id") + "@" + record.getField("version") + "=" + record.getField("reward"));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return rows;
  }

  private static List<FileScanTask> files(Table table, long snapshotId) {
    List<FileScanTask> files = new ArrayList<>();
    try (CloseableIterable<FileScanTask> tasks = table.newScan().useSnapshot(snapshotId).planFiles()) {
      tasks.forEach(files::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }
}
