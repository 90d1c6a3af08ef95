package org.trajlake.sink.commit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.inmemory.InMemoryCatalog;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.Test;

/**
 * A batch written and committed on the lane's committer thread while the lane gathers the next: the
 * next batch is sealed only after the one in flight committed, so snapshots keep the offsets' order;
 * a batch fenced while in flight is dropped and reported when the loop waits for it.
 */
class BackgroundCommitTest {
  @Test
  void theLaneGathersTheNextBatchWhileOneIsWrittenAndTheirSnapshotsFollowTheOffsets() throws Exception {
    // Given a lane whose first batch's commit holds after writing its files until released
    Table table = TestLane.catalogWithTable(Map.of()).loadTable(TestLane.TABLE);
    CountDownLatch release = new CountDownLatch(1);
    OneRowLane lane = new OneRowLane(table, "batch", blockingFirstWrite(release));
    lane.deadLettered(TestLane.record(0));
    lane.deadLettered(TestLane.record(1));

    // When it is committed in the background, the lane gathers the next batch meanwhile
    lane.commitInBackground();
    assertThat(lane.hasRecords()).isFalse();
    lane.deadLettered(TestLane.record(2));
    assertThat(lane.inFlightDone()).isFalse();
    table.refresh();
    assertThat(table.currentSnapshot()).isNull();

    // and the next one is committed once the first has been
    release.countDown();
    lane.commitInBackground();
    lane.awaitInFlight();

    // Then two snapshots in the order of their offsets, each batch's rows once, both commits reported in order
    List<TableLane.Committed> commits = lane.takeFinished();
    assertThat(commits).extracting(TableLane.Committed::nextOffsets).containsExactly(new TreeMap<>(Map.of(0, 2L)), new TreeMap<>(Map.of(0, 3L)));
    assertThat(commits).extracting(TableLane.Committed::records).containsExactly(2L, 1L);
    table.refresh();
    List<Snapshot> snapshots = new ArrayList<>();
    table.snapshots().forEach(snapshots::add);
    assertThat(snapshots).extracting(Snapshot::snapshotId)
        .containsExactly(commits.get(0).snapshotId(), commits.get(1).snapshotId());
    assertThat(SinkSummary.committedOffsets(table, "topic").orElseThrow()).containsExactlyEntriesOf(Map.of(0, 3L));
    assertThat(ids(table)).containsExactlyInAnyOrder("batch-1", "batch-2");
    assertThat(lane.takeFinished()).isEmpty();
  }

  @Test
  void aBatchFencedWhileInFlightIsDroppedAndReportedWhenAwaited() throws Exception {
    // Given two lanes of the same partition, this one's batch held after writing its files
    InMemoryCatalog catalog = TestLane.catalogWithTable(Map.of(TableProperties.COMMIT_NUM_RETRIES, "0"));
    Table table = catalog.loadTable(TestLane.TABLE);
    CountDownLatch release = new CountDownLatch(1);
    OneRowLane self = new OneRowLane(table, "self", blockingFirstWrite(release));
    OneRowLane other = new OneRowLane(catalog.loadTable(TestLane.TABLE), "other", CommitObserver.NONE);
    for (OneRowLane lane : List.of(self, other)) {
      lane.deadLettered(TestLane.record(0));
      lane.deadLettered(TestLane.record(1));
    }

    // When the other commits the same offsets while this one's batch is in flight
    self.commitInBackground();
    other.commit().orElseThrow();
    release.countDown();

    // Then this batch is fenced when awaited, and only the other's rows are in the table
    assertThatThrownBy(self::awaitInFlight).isInstanceOf(TableLane.FencedException.class)
        .hasMessageContaining("committed up to 2 by another writer");
    assertThat(self.inFlightDone()).isTrue();
    assertThat(self.takeFinished()).isEmpty();
    table.refresh();
    assertThat(table.snapshots()).hasSize(1);
    assertThat(ids(table)).containsExactly("other-1");
  }

  private static CommitObserver blockingFirstWrite(CountDownLatch release) {
    return new CommitObserver() {
      private boolean first = true;

      @Override
      public void filesWritten(String table) {
        if (first) {
          first = false;
          try {
            assertThat(release.await(30, TimeUnit.SECONDS)).as("released").isTrue();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      }
    };
  }

  private static List<Object> ids(Table table) throws IOException {
    List<Object> ids = new ArrayList<>();
    try (CloseableIterable<Record> rows = IcebergGenerics.read(table).build()) {
      rows.forEach(row -> ids.add(row.getField("id")));
    }
    return ids;
  }
}
