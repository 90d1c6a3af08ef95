package org.trajlake.sink.trainer;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.RowDelta;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SnapshotUpdate;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.deletes.EqualityDeleteWriter;
import org.apache.iceberg.io.DataWriteResult;
import org.apache.iceberg.io.FanoutDataWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.trajlake.schema.RewardedTrajectory;
import org.trajlake.sink.CatalogSettings;
import org.trajlake.sink.commit.SinkSummary;
import org.trajlake.sink.table.RowConverter;
import org.trajlake.sink.table.SinkTables;
import org.trajlake.sink.table.TableNames;
import org.trajlake.sink.table.TableSchemas;

/**
 * A trajectories table in a SQLite catalog under a temporary directory, committed to the way the sink
 * commits: appends of new trajectories, and upserts that replace a trajectory by a global equality
 * delete on trajectory_id plus the new row, each with the sink's summary keys.
 */
public final class TrainingLake implements AutoCloseable {
  public static final String TOPIC = "trajlake.trajectories.rewarded";

  private final CatalogSettings settings;
  private final Catalog catalog;
  private final Table table;
  private long nextOffset;
  private int commits;

  private TrainingLake(CatalogSettings settings, Catalog catalog, Table table) {
    this.settings = settings;
    this.catalog = catalog;
    this.table = table;
  }

  public static TrainingLake create(Path dataDir) {
    CatalogSettings settings = CatalogSettings.forDataDir(dataDir);
    Catalog catalog = settings.open();
    Table table = new SinkTables(catalog, settings.namespace(), SinkTables.defaultProperties(128L << 20))
        .trajectories(TableSchemas.trajectories(RewardedTrajectory.getClassSchema()));
    return new TrainingLake(settings, catalog, table);
  }

  public CatalogSettings settings() {
    return settings;
  }

  public Table table() {
    table.refresh();
    return table;
  }

  /** Commits new trajectories; returns the new snapshot's id. */
  public long append(RewardedTrajectory... rows) {
    AppendFiles append = table.newAppend();
    dataFiles(List.of(rows)).dataFiles().forEach(append::appendFile);
    return commit(append, rows.length);
  }

  /** Replaces the rows of these trajectories by these versions in one commit; returns the new snapshot's id. */
  public long upsert(RewardedTrajectory... rows) {
    PartitionSpec global = table.specs().get(SinkTables.GLOBAL_DELETE_SPEC_ID);
    Schema deleteSchema = table.schema().select(TableNames.TRAJECTORY_ID);
    GenericFileWriterFactory writers = new GenericFileWriterFactory.Builder(table)
        .deleteFileFormat(FileFormat.PARQUET)
        .equalityFieldIds(new int[] {table.schema().findField(TableNames.TRAJECTORY_ID).fieldId()})
        .equalityDeleteRowSchema(deleteSchema)
        .build();
    EqualityDeleteWriter<Record> deletes = writers.newEqualityDeleteWriter(files().newOutputFile(global, null), global, null);
    try (deletes) {
      for (RewardedTrajectory row : rows) {
        Record key = GenericRecord.create(deleteSchema);
        key.setField(TableNames.TRAJECTORY_ID, row.getTrajectory().getTrajectoryId());
        deletes.write(key);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    RowDelta delta = table.newRowDelta().addDeletes(deletes.toDeleteFile());
    dataFiles(List.of(rows)).dataFiles().forEach(delta::addRows);
    return commit(delta, rows.length);
  }

  private DataWriteResult dataFiles(List<RewardedTrajectory> rows) {
    GenericFileWriterFactory writers = new GenericFileWriterFactory.Builder(table).dataFileFormat(FileFormat.PARQUET).build();
    RowConverter converter = RowConverter.trajectories(table.schema(), RewardedTrajectory.getClassSchema());
    InternalRecordWrapper wrapper = new InternalRecordWrapper(table.schema().asStruct());
    PartitionKey partition = new PartitionKey(table.spec(), table.schema());
    FanoutDataWriter<Record> writer = new FanoutDataWriter<>(writers, files(), table.io(), 128L << 20);
    try (writer) {
      for (RewardedTrajectory row : rows) {
        Record record = converter.convert(row);
        partition.partition(wrapper.wrap(record));
        writer.write(record, table.spec(), partition.copy());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return writer.result();
  }

  private OutputFileFactory files() {
    return OutputFileFactory.builderFor(table, 1, ++commits).format(FileFormat.PARQUET).build();
  }

  private <T> long commit(SnapshotUpdate<T> update, int records) {
    SortedMap<Integer, Long> offsets = new TreeMap<>();
    SortedMap<Integer, long[]> ranges = new TreeMap<>();
    ranges.put(0, new long[] {nextOffset, nextOffset + records});
    nextOffset += records;
    offsets.put(0, nextOffset);
    update.set(SinkSummary.TOPIC, TOPIC);
    update.set(SinkSummary.OFFSETS, SinkSummary.offsetsJson(offsets));
    update.set(SinkSummary.OFFSET_RANGES, SinkSummary.rangesJson(ranges));
    update.set(SinkSummary.COMMIT_ID, UUID.randomUUID().toString());
    update.set(SinkSummary.SCHEMA_IDS, SinkSummary.schemaIdsJson(new TreeSet<>(List.of(1, 2))));
    update.set(SinkSummary.RECORDS, Integer.toString(records));
    update.commit();
    table.refresh();
    return table.currentSnapshot().snapshotId();
  }

  @Override
  public void close() throws IOException {
    if (catalog instanceof Closeable closeable) {
      closeable.close();
    }
  }
}
