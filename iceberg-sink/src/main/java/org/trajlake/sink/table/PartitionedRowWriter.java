package org.trajlake.sink.table;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.FanoutDataWriter;
import org.apache.iceberg.io.FileWriterFactory;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.util.PropertyUtil;

/**
 * Writes rows of a table's current schema into Parquet data files of its current partition spec, one
 * file series per partition, each rolled at the table's target file size. The files are invisible until
 * a commit names them. Used by the sink's batches and by compaction.
 */
public final class PartitionedRowWriter implements Closeable {
  private final Table table;
  private final PartitionSpec spec;
  private final PartitionKey key;
  // Partition transforms take Iceberg's internal values (micros), not the OffsetDateTime of a generic row.
  private final InternalRecordWrapper wrapper;
  private final FanoutDataWriter<Record> writer;
  private boolean closed;

  /**
   * @param operationId unique per operation: part of every file name
   * @param targetFileSize bytes at which a file is rolled; null for the table's {@code write.target-file-size-bytes}
   */
  public PartitionedRowWriter(Table table, String operationId, Long targetFileSize) {
    this.table = table;
    Schema schema = table.schema();
    this.spec = table.spec();
    this.key = new PartitionKey(spec, schema);
    this.wrapper = new InternalRecordWrapper(schema.asStruct());
    long target = targetFileSize != null ? targetFileSize
        : PropertyUtil.propertyAsLong(table.properties(), TableProperties.WRITE_TARGET_FILE_SIZE_BYTES,
            TableProperties.WRITE_TARGET_FILE_SIZE_BYTES_DEFAULT);
    FileWriterFactory<Record> writers = new GenericFileWriterFactory.Builder(table).dataFileFormat(FileFormat.PARQUET)
        .dataSchema(schema).build();
    OutputFileFactory files = OutputFileFactory.builderFor(table, 1, 1).format(FileFormat.PARQUET)
        .operationId(operationId).build();
    this.writer = new FanoutDataWriter<>(writers, files, table.io(), target);
  }

  public void write(Record row) {
    key.partition(wrapper.wrap(row));
    writer.write(row, spec, key);
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      writer.close();
    } catch (IOException e) {
      throw new UncheckedIOException("writing data files of " + table.name() + " failed", e);
    }
  }

  /** The files written; closes the writer first. */
  public List<DataFile> dataFiles() {
    close();
    return List.copyOf(writer.result().dataFiles());
  }
}
