package org.trajlake.sink.trainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Consumer;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SnapshotSummary;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableScan;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.util.SnapshotUtil;

/**
 * Reads the rows of one snapshot that match a filter: the Java reader for trainers, and what export and
 * sampling read through. Data files are read by several threads and the rows handed out in a fixed
 * order ({@link ParallelTaskReader}). Each file is read as Iceberg's generic reader reads it: the
 * equality deletes of the sink's upserts applied (so each trajectory appears once, at its version in
 * that snapshot) and the filter's residual evaluated on every row, so what comes out matches the
 * filter exactly, not only the row groups it kept.
 */
public final class SnapshotReader {
  /** Threads reading data files at once by default: the cores, at most 4. */
  public static final int DEFAULT_THREADS = Math.min(4, Runtime.getRuntime().availableProcessors());

  private final Table table;
  private final TableVersion version;
  private final Schema schema;
  private final Expression filter;
  private final int threads;

  /** @param where a {@link RowFilter} text over the columns the table had at that snapshot; blank for all rows */
  public SnapshotReader(Table table, TableVersion version, String where) {
    this(table, version, where, DEFAULT_THREADS);
  }

  /**
   * @param where a {@link RowFilter} text over the columns the table had at that snapshot; blank for all rows
   * @param threads data files read at once; 1 reads them one after another in the caller's thread
   */
  public SnapshotReader(Table table, TableVersion version, String where, int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("read threads must be at least 1, not " + threads);
    }
    this.threads = threads;
    this.table = table;
    this.version = version;
    this.schema = SnapshotUtil.schemaFor(table, version.snapshotId());
    this.filter = RowFilter.parse(where, schema);
  }

  /** The table's schema at the snapshot: the rows have it. */
  public Schema schema() {
    return schema;
  }

  /**
   * The matching rows, for the caller to iterate and close.
   *
   * @param columns the columns to read (plus those the filter needs); every column when empty
   */
  public CloseableIterable<Record> rows(String... columns) {
    TableScan scan = table.newScan().useSnapshot(version.snapshotId()).filter(filter);
    return new ParallelTaskReader(table, columns.length == 0 ? scan : scan.select(columns), threads);
  }

  /**
   * Passes every matching row to {@code rows} and returns how many there were.
   *
   * @param columns the columns to read (plus those the filter needs); every column when empty
   */
  long read(String phase, ReadProgress progress, Consumer<Record> rows, String... columns) {
    long count = 0;
    try (ReadProgress.Tracker tracker = progress.start(phase, estimatedRows());
        CloseableIterable<Record> records = rows(columns)) {
      for (Record record : records) {
        rows.accept(record);
        tracker.step();
        count++;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading snapshot " + version.snapshotId() + " of " + table.name() + " failed", e);
    }
    return count;
  }

  private long estimatedRows() {
    String total = table.snapshot(version.snapshotId()).summary().get(SnapshotSummary.TOTAL_RECORDS_PROP);
    return total == null ? -1 : Long.parseLong(total);
  }
}
