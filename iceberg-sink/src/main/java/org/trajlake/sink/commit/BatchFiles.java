package org.trajlake.sink.commit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.deletes.EqualityDeleteWriter;
import org.apache.iceberg.io.DataWriteResult;
import org.apache.iceberg.io.FanoutDataWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.util.PropertyUtil;
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
   * @param rows rows of {@code table}'s current schema
   * @param identifierColumn the column replaced rows are deleted by, or null for an append-only table
   * @param replacedIds values of {@code identifierColumn} whose earlier rows are deleted
   */
  static Written write(Table table, String operationId, Collection<Record> rows, String identifierColumn,
      Collection<String> replacedIds) {
    Schema schema = table.schema();
    GenericFileWriterFactory.Builder builder = new GenericFileWriterFactory.Builder(table)
        .dataFileFormat(FileFormat.PARQUET)
        .dataSchema(schema)
        .deleteFileFormat(FileFormat.PARQUET);
    Schema deleteSchema = null;
    if (identifierColumn != null) {
      deleteSchema = schema.select(identifierColumn);
      builder.equalityFieldIds(new int[] {schema.findField(identifierColumn).fieldId()}).equalityDeleteRowSchema(deleteSchema);
    }
    GenericFileWriterFactory writers = builder.build();
    OutputFileFactory files = OutputFileFactory.builderFor(table, 1, 1).format(FileFormat.PARQUET)
        .operationId(operationId).build();
    List<DataFile> data = rows.isEmpty() ? List.of() : writeData(table, schema, rows, writers, files);
    List<DeleteFile> deletes = replacedIds.isEmpty() ? List.of()
        : List.of(writeDeletes(table, deleteSchema, identifierColumn, replacedIds, writers, files));
    return new Written(data, deletes);
  }

  private static List<DataFile> writeData(Table table, Schema schema, Collection<Record> rows,
      GenericFileWriterFactory writers, OutputFileFactory files) {
    PartitionSpec spec = table.spec();
    long targetSize = PropertyUtil.propertyAsLong(table.properties(), TableProperties.WRITE_TARGET_FILE_SIZE_BYTES,
        TableProperties.WRITE_TARGET_FILE_SIZE_BYTES_DEFAULT);
    PartitionKey key = new PartitionKey(spec, schema);
    // Partition transforms take Iceberg's internal values (micros), not the OffsetDateTime of a generic row.
    InternalRecordWrapper wrapper = new InternalRecordWrapper(schema.asStruct());
    FanoutDataWriter<Record> writer = new FanoutDataWriter<>(writers, files, table.io(), targetSize);
    try (writer) {
      for (Record row : rows) {
        key.partition(wrapper.wrap(row));
        writer.write(row, spec, key);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("writing data files of " + table.name() + " failed", e);
    }
    DataWriteResult result = writer.result();
    return new ArrayList<>(result.dataFiles());
  }

  private static DeleteFile writeDeletes(Table table, Schema deleteSchema, String column, Collection<String> ids,
      GenericFileWriterFactory writers, OutputFileFactory files) {
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
