package org.trajlake.sink.commit;

import java.util.List;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;

/**
 * A test lane whose every batch, whatever records it covers, is one row naming the lane and the batch:
 * {@code name-1}, {@code name-2}, ... in the order the batches are sealed.
 */
final class OneRowLane extends TestLane {
  private final String name;
  private int sealed;

  OneRowLane(Table table, String name, CommitObserver observer) {
    super(table, observer);
    this.name = name;
  }

  @Override
  protected SealedRows sealRows() {
    String id = name + "-" + ++sealed;
    return new SealedRows() {
      @Override
      public BatchFiles.Written write(String commitId) {
        Record row = GenericRecord.create(table.schema());
        row.setField("id", id);
        return BatchFiles.write(table, commitId, List.of(row), null, List.of(), 1);
      }

      @Override
      public long written() {
        return 1;
      }

      @Override
      public long replaced() {
        return 0;
      }
    };
  }

  @Override
  protected BatchFiles.Written writeFiles(String commitId) {
    throw new UnsupportedOperationException("sealRows writes this lane's batches");
  }
}
