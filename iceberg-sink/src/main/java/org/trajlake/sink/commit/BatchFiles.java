package org.trajlake.sink.commit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.List;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.deletes.EqualityDeleteWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.trajlake.sink.table.PartitionedRowWriter;
import org.trajlake.sink.table.RowSource;
import org.trajlake.sink.table.SinkTables;

/**
 * Writes one batch's files: its rows into Parquet data files of the table's current partition spec,
 * rolled at the target file size, and the identifiers of replaced rows into one equality-delete file
 * of the unpartitioned spec (a global delete). Nothing is committed here; the files are invisible
 * until a snapshot names them, so a crash leaves only unreferenced files behind.
 */
final class BatchFiles {
  /** The files of a batch, ready for a commit. */
  record Written(List<DataFile> data, List<DeleteFile> deletes) {
    long bytes() {
      return data.stream().mapToLong(DataFile::fileSizeInBytes).sum()
          + deletes.stream().mapToLong(DeleteFile::fileSizeInBytes).sum();
    }
  }

  private BatchFiles() {}

  /**
   * @param operationId unique per batch: part of every file name
   * @param items what the batch holds per row
   * @param source makes rows of {@code table}'s current schema of {@code items} ({@link RowSource#rows} for rows)
   * @param identifierColumn the column replaced rows are deleted by, or null for an append-only table
   * @param replacedIds values of {@code identifierColumn} whose earlier rows are deleted
   * @param threads data files written by this many writers at once
   */
  static <T> Written write(Table table, String operationId, List<T> items, RowSource<T> source,
      String identifierColumn, Collection<String> replacedIds, int threads) {
    List<DataFile> data = items.isEmpty() ? List.of()
        : PartitionedRowWriter.writeAll(table, operationId, items, source, threads);
    List<DeleteFile> deletes = replacedIds.isEmpty() ? List.of()
        : List.of(writeDeletes(table, operationId + "-deletes", identifierColumn, replacedIds));
    return new Written(data, deletes);
  }

  private static DeleteFile writeDeletes(Table table, String operationId, String column, Collection<String> ids) {
    Schema schema = table.schema();
    Schema deleteSchema = schema.select(column);
    GenericFileWriterFactory writers = new GenericFileWriterFactory.Builder(table)
        .deleteFileFormat(FileFormat.PARQUET)
        .equalityFieldIds(new int[] {schema.findField(column).fieldId()})
        .equalityDeleteRowSchema(deleteSchema)
        .build();
    OutputFileFactory files = OutputFileFactory.builderFor(table, 1, 1).format(FileFormat.PARQUET)
        .operationId(operationId).build();
    PartitionSpec global = table.specs().get(SinkTables.GLOBAL_DELETE_SPEC_ID);
    if (global == null || !global.isUnpartitioned()) {
      throw new IllegalStateException(table.name() + " has no unpartitioned spec " + SinkTables.GLOBAL_DELETE_SPEC_ID
          + " for global deletes: it was not created by trajlake");
    }
    EqualityDeleteWriter<Record> writer = writers.newEqualityDeleteWriter(files.newOutputFile(global, null), global, null);
    Record row = GenericRecord.create(deleteSchema);
    try (writer) {
      for (String id : ids) {
        row.setField(column, id);
        writer.write(row);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("writing the delete file of " + table.name() + " failed", e);
    }
    return writer.toDeleteFile();
  }
}
