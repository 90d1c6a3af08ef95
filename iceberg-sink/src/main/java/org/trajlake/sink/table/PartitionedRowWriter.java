package org.trajlake.sink.table;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
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
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.util.PropertyUtil;
import org.apache.iceberg.util.StructLikeMap;

/**
 * Writes rows of a table's current schema into Parquet data files of its current partition spec, one
 * file series per partition, each rolled at the table's target file size. The files are invisible until
 * a commit names them. Used by the sink's batches and by compaction.
 */
public final class PartitionedRowWriter implements Closeable {
  // Below this many rows a second writer costs more (another file, another thread) than it saves.
  private static final int MIN_ROWS_PER_WRITER = 2_000;
  private static final String DICTIONARY = "parquet.enable.dictionary";

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
        .dataSchema(schema).writerProperties(writerProperties(table)).build();
    OutputFileFactory files = OutputFileFactory.builderFor(table, 1, 1).format(FileFormat.PARQUET)
        .operationId(operationId).build();
    this.writer = new FanoutDataWriter<>(writers, files, table.io(), target);
  }

  /**
   * Writes {@code rows} with {@code threads} writers at once, each taking whole partitions where it can
   * ({@link #slices}), so a batch spread over many days still writes about one file per day. Each writer
   * makes its own files: a partition larger than a writer's share is split, and that split is the only
   * source of extra files per commit, which {@code trajlake compact} merges later.
   */
  public static List<DataFile> writeAll(Table table, String operationId, List<Record> rows, int threads) {
    return writeAll(table, operationId, rows, RowSource.rows(table), threads);
  }

  /**
   * Writes the rows {@code source} makes of {@code items} as {@link #writeAll(Table, String, List, int)}
   * does; each writer thread makes the rows of its own share, one at a time, just before writing them.
   */
  public static <T> List<DataFile> writeAll(Table table, String operationId, List<T> items, RowSource<T> source,
      int threads) {
    int writers = Math.max(1, Math.min(threads, items.size() / MIN_ROWS_PER_WRITER));
    if (writers == 1) {
      return writeShare(table, operationId, items, source);
    }
    ExecutorService pool = Executors.newFixedThreadPool(writers, runnable -> {
      Thread thread = new Thread(runnable, "iceberg-sink-writer");
      thread.setDaemon(true);
      return thread;
    });
    try {
      List<Future<List<DataFile>>> slices = new ArrayList<>();
      List<List<T>> shares = slices(items, source, writers);
      for (int w = 0; w < shares.size(); w++) {
        List<T> share = shares.get(w);
        String shareId = operationId + "-w" + w;
        slices.add(pool.submit(() -> writeShare(table, shareId, share, source)));
      }
      List<DataFile> files = new ArrayList<>();
      for (Future<List<DataFile>> slice : slices) {
        files.addAll(slice.get());
      }
      return files;
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException runtime ? runtime
          : new IllegalStateException("writing data files of " + table.name() + " failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while writing data files of " + table.name(), e);
    } finally {
      pool.shutdownNow();
    }
  }

  private static <T> List<DataFile> writeShare(Table table, String operationId, List<T> items, RowSource<T> source) {
    Function<T, Record> rows = source.rowMaker();
    try (PartitionedRowWriter writer = new PartitionedRowWriter(table, operationId, null)) {
      for (T item : items) {
        writer.write(rows.apply(item));
      }
      return writer.dataFiles();
    }
  }

  /** {@link #slices(List, RowSource, int)} of rows. */
  static List<List<Record>> slices(Table table, List<Record> rows, int writers) {
    return slices(rows, RowSource.rows(table), writers);
  }

  /**
   * {@code items} cut into at most {@code writers} shares of about equal size, keeping each partition's
   * items together: a partition goes whole to one share unless it holds more than a share's size, then it
   * is cut into share-sized runs. The pieces go largest first to the smallest share. Items keep their
   * order within a partition. Cutting the batch into contiguous ranges instead gave every writer a file
   * of every day when a backlog's days were interleaved: twice the files, each half the size.
   */
  static <T> List<List<T>> slices(List<T> items, RowSource<T> source, int writers) {
    StructLikeMap<List<T>> partitions = StructLikeMap.create(source.spec().partitionType());
    for (T item : items) {
      PartitionKey key = source.partition(item);
      List<T> partition = partitions.get(key);
      if (partition == null) {
        partition = new ArrayList<>();
        partitions.put(key.copy(), partition);
      }
      partition.add(item);
    }
    int shareSize = (items.size() + writers - 1) / writers;
    List<List<T>> pieces = new ArrayList<>();
    for (List<T> partition : partitions.values()) {
      for (int from = 0; from < partition.size(); from += shareSize) {
        pieces.add(partition.subList(from, Math.min(partition.size(), from + shareSize)));
      }
    }
    pieces.sort(Comparator.comparingInt((List<T> piece) -> piece.size()).reversed());
    List<List<T>> shares = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      shares.add(new ArrayList<>());
    }
    for (List<T> piece : pieces) {
      shares.stream().min(Comparator.comparingInt(List::size)).orElseThrow().addAll(piece);
    }
    shares.removeIf(List::isEmpty);
    return shares;
  }

  public void write(Record row) {
    key.partition(wrapper.wrap(row));
    writer.write(row, spec, key);
  }

  /**
   * Parquet dictionary encoding off unless the table says otherwise: most of a trajectory row's bytes are
   * unique ids and free text, where the dictionary fills up, falls back to plain encoding and is thrown
   * away. Profiling the sink showed a third of its time spent building those dictionaries; zstd still
   * compresses the repeated short values (kinds, tool names, agent ids) well without one.
   *
   * <p>Parquet statistics off for the columns inside lists and maps (every column of the steps),
   * unless the table sets them: Iceberg drops the bounds of repeated fields from its metrics, and no
   * engine prunes files by a list element's min and max, so comparing every step's strings to keep them
   * was wasted (5-7% of the time writing a batch, measured on the sink benchmark's rows).
   */
  private static Map<String, String> writerProperties(Table table) {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put(DICTIONARY, "false");
    Schema schema = table.schema();
    for (Types.NestedField column : schema.columns()) {
      addRepeatedColumns(schema, column, false, properties);
    }
    properties.keySet().removeIf(table.properties()::containsKey);
    return properties;
  }

  private static void addRepeatedColumns(Schema schema, Types.NestedField field, boolean repeated,
      Map<String, String> properties) {
    Type type = field.type();
    if (type.isPrimitiveType()) {
      if (repeated) {
        properties.put(TableProperties.PARQUET_COLUMN_STATS_ENABLED_PREFIX + schema.findColumnName(field.fieldId()),
            "false");
      }
      return;
    }
    boolean inside = repeated || type.isListType() || type.isMapType();
    for (Types.NestedField child : type.asNestedType().fields()) {
      addRepeatedColumns(schema, child, inside, properties);
    }
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
