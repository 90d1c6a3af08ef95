package org.trajlake.sink.commit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.inmemory.InMemoryCatalog;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.Test;
import org.trajlake.sink.table.RowSource;

/**
 * Two sink instances holding the same partition for a moment (a rebalance): the other instance
 * commits the same offsets right after this one checked the table. Iceberg refreshes the table when
 * it applies an update, so only the commit's validation from the checked snapshot stops this one
 * from committing the records a second time on top of the other's.
 */
class ConcurrentCommitTest {
  @Test
  void aCommitLandingBetweenTheOffsetCheckAndTheCommitFencesTheBatch() throws Exception {
    // Given a table and two lanes that each read offsets 0 and 1 of partition 0
    InMemoryCatalog catalog = TestLane.catalogWithTable(Map.of(TableProperties.COMMIT_NUM_RETRIES, "0"));
    Table table = catalog.loadTable(TestLane.TABLE);
    RowLane other = new RowLane(catalog.loadTable(TestLane.TABLE), "other", CommitObserver.NONE);
    RowLane[] self = new RowLane[1];
    self[0] = new RowLane(table, "self", new CommitObserver() {
      private boolean raced;

      @Override
      public void offsetsChecked(String name) {
        // When the other instance commits right after this one checked the offsets
        if (!raced) {
          raced = true;
          other.commit().orElseThrow();
        }
      }
    });
    for (RowLane lane : List.of(self[0], other)) {
      lane.deadLettered(TestLane.record(0));
      lane.deadLettered(TestLane.record(1));
    }

    // Then this one's batch is fenced, not committed on top of the other's
    assertThatThrownBy(() -> self[0].commit()).isInstanceOf(TableLane.FencedException.class)
        .hasMessageContaining("committed up to 2 by another writer");
    table.refresh();
    assertThat(table.snapshots()).hasSize(1);
    assertThat(SinkSummary.committedOffsets(table, "topic").orElseThrow()).containsExactlyEntriesOf(Map.of(0, 2L));
    List<Object> ids = new ArrayList<>();
    try (CloseableIterable<Record> rows = IcebergGenerics.read(table).build()) {
      rows.forEach(row -> ids.add(row.getField("id")));
    }
    assertThat(ids).containsExactly("other");
  }

  /** A lane whose batch is one row naming its writer, whatever records it covers. */
  private static final class RowLane extends TestLane {
    private final String writer;

    RowLane(Table table, String writer, CommitObserver observer) {
      super(table, observer);
      this.writer = writer;
    }

    @Override
    protected BatchFiles.Written writeFiles(String commitId) {
      Record row = GenericRecord.create(table.schema());
      row.setField("id", writer);
      return BatchFiles.write(table, commitId, List.of(row), RowSource.rows(table), null, List.of(), 1);
    }

    @Override
    protected long rowsWritten() {
      return 1;
    }
  }
}
