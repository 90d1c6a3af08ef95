package org.trajlake.sink.table;

import java.util.function.Function;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;

/**
 * What a batch holds for each row until its files are written: the row itself, or a compact form of it
 * that the writer threads turn into the row just before writing it (the sink keeps each record's
 * encoded bytes: one array per record instead of a graph of hundreds of objects that every young
 * garbage collection would copy while the batch fills).
 *
 * @param <T> what is held per row
 */
public interface RowSource<T> {
  /** The spec {@link #partition} keys are of (the writers key each row again by the table's current spec). */
  PartitionSpec spec();

  /** The partition of {@code item}, for grouping a batch's rows by writer. Called on the batch's own thread only. */
  PartitionKey partition(T item);

  /**
   * Makes rows of items, for one writer thread: the function may keep state of its own (decoders), so
   * each writer asks for one.
   */
  Function<T, Record> rowMaker();

  /**
   * This source, telling {@code progress} of every row made: a batch of hundreds of thousands of rows
   * written to slow storage can take minutes, and that is not being stuck.
   */
  default RowSource<T> reporting(Runnable progress) {
    RowSource<T> source = this;
    return new RowSource<>() {
      @Override
      public PartitionSpec spec() {
        return source.spec();
      }

      @Override
      public PartitionKey partition(T item) {
        return source.partition(item);
      }

      @Override
      public Function<T, Record> rowMaker() {
        Function<T, Record> rows = source.rowMaker();
        return item -> {
          Record row = rows.apply(item);
          progress.run();
          return row;
        };
      }
    };
  }

  /** Rows held as rows. */
  static RowSource<Record> rows(Table table) {
    PartitionSpec spec = table.spec();
    PartitionKey key = new PartitionKey(spec, table.schema());
    // Partition transforms take Iceberg's internal values (micros), not the OffsetDateTime of a generic row.
    InternalRecordWrapper wrapper = new InternalRecordWrapper(table.schema().asStruct());
    return new RowSource<>() {
      @Override
      public PartitionSpec spec() {
        return spec;
      }

      @Override
      public PartitionKey partition(Record row) {
        key.partition(wrapper.wrap(row));
        return key;
      }

      @Override
      public Function<Record, Record> rowMaker() {
        return Function.identity();
      }
    };
  }
}
