package org.trajlake.sink.commit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.util.StructLikeMap;
import org.trajlake.schema.serde.ConfluentGenericDecoder.WriterRecord;
import org.trajlake.schema.serde.KnownSchemaDecoder;
import org.trajlake.sink.Graduation;
import org.trajlake.sink.table.RowConverter;
import org.trajlake.sink.table.RowSource;
import org.trajlake.sink.table.SinkTables;
import org.trajlake.sink.table.TableNames;
import org.trajlake.sink.table.TableSchemas;

/**
 * Rewarded trajectories into the trajectories table: one row per trajectory at its latest version.
 *
 * <p>Within a batch only the highest version of a trajectory is kept. A trajectory whose first version
 * in the batch is above 1 may have a row from an earlier commit: its id goes into the batch's global
 * equality-delete file, which removes the older row from every partition while the new row (same
 * commit, same sequence number) stays. A version 1 cannot have an earlier row, so most trajectories
 * cost no delete at all. A version that no longer graduates deletes the older row and adds none.
 *
 * <p>The batch keeps each row as its record's encoded bytes, with the partition it goes to, and the
 * writer threads decode and convert each again just before writing it. A row of twenty steps is a graph
 * of several hundred objects; holding 25,000 of them while a batch filled made every young garbage
 * collection copy them (7 s of pauses in a 31 s backlog of 300,000 rows), and converting them all fell
 * on the one thread that polls. One array per row costs a second decode, spread over the writers.
 */
final class TrajectoryLane extends TableLane {
  /**
   * The latest version of a trajectory in this batch: its encoded record and the partition of its row,
   * both null when it does not graduate.
   */
  private record Pending(long version, byte[] payload, PartitionKey partition, boolean replaces) {
    boolean hasRow() {
      return payload != null;
    }
  }

  private final Graduation graduation;
  private final Map<Integer, RowConverter> converters = new HashMap<>();
  private final Map<Integer, Schema> writerSchemas = new HashMap<>();
  private final Map<String, Pending> pending = new LinkedHashMap<>();
  // One key object per partition of the batch, shared by its rows.
  private StructLikeMap<PartitionKey> partitions;
  private PartitionSpec spec;
  private PartitionKey key;
  private InternalRecordWrapper wrapper;
  private int[] partitionColumns;

  TrajectoryLane(String topic, Table table, int writeThreads, RetryPolicy retry, CommitObserver observer,
      Graduation graduation) {
    super(topic, table, writeThreads, retry, observer);
    this.graduation = graduation;
    resetPartitioning();
  }

  /** The partition key of a row is computed from its spec's source columns alone (top-level columns here). */
  private void resetPartitioning() {
    spec = table.spec();
    partitions = StructLikeMap.create(spec.partitionType());
    key = new PartitionKey(spec, table.schema());
    wrapper = new InternalRecordWrapper(table.schema().asStruct());
    List<Types.NestedField> columns = table.schema().columns();
    partitionColumns = spec.fields().stream().map(PartitionField::sourceId).distinct()
        .mapToInt(id -> columns.indexOf(table.schema().findField(id))).toArray();
    for (int column : partitionColumns) {
      if (column < 0) {
        throw new IllegalStateException(table.name() + " is partitioned by a nested column; trajlake partitions by "
            + "top-level columns only");
      }
    }
  }

  @Override
  protected void prepareFor(WriterRecord decoded) {
    if (converters.containsKey(decoded.schemaId())) {
      return;
    }
    org.apache.iceberg.Schema derived = TableSchemas.trajectories(decoded.schema());
    if (!SinkTables.containsAll(table.schema(), derived)) {
      // Rows of the batch were built for the old schema: commit them before the table changes.
      commit();
      SinkTables.evolve(table, derived);
      converters.clear();
      writerSchemas.clear();
      resetPartitioning();
    }
    converters.put(decoded.schemaId(), RowConverter.trajectories(table.schema(), decoded.schema()));
    writerSchemas.put(decoded.schemaId(), decoded.schema());
  }

  @Override
  protected boolean accept(WriterRecord decoded, byte[] payload) {
    GenericRecord value = decoded.value();
    String id = ((GenericRecord) value.get("trajectory")).get(TableNames.TRAJECTORY_ID).toString();
    long version = ((Number) value.get(TableNames.VERSION)).longValue();
    Pending earlier = pending.get(id);
    if (earlier != null && earlier.version() >= version) {
      return false; // an older or repeated version: the batch already has a newer one
    }
    boolean graduates = graduation.admits(value);
    boolean replaces = earlier != null ? earlier.replaces() : version > 1;
    pending.put(id, graduates ? new Pending(version, payload, partitionOf(decoded), replaces)
        : new Pending(version, null, null, replaces));
    return graduates;
  }

  private PartitionKey partitionOf(WriterRecord decoded) {
    key.partition(wrapper.wrap(converters.get(decoded.schemaId()).convertColumns(decoded.value(), partitionColumns)));
    PartitionKey shared = partitions.get(key);
    if (shared == null) {
      shared = key.copy();
      partitions.put(shared, shared);
    }
    return shared;
  }

  /** The batch's rows, made on the writer threads: each decodes and converts its own share. */
  private final class EncodedRows implements RowSource<Pending> {
    @Override
    public PartitionSpec spec() {
      return spec;
    }

    @Override
    public PartitionKey partition(Pending row) {
      return row.partition();
    }

    @Override
    public Function<Pending, Record> rowMaker() {
      KnownSchemaDecoder decoder = new KnownSchemaDecoder(writerSchemas::get);
      return row -> {
        WriterRecord decoded = decoder.decode(row.payload());
        return converters.get(decoded.schemaId()).convert(decoded.value());
      };
    }
  }

  @Override
  protected BatchFiles.Written writeFiles(String commitId) {
    List<Pending> rows = new ArrayList<>(pending.size());
    List<String> replaced = new ArrayList<>();
    pending.forEach((id, p) -> {
      if (p.hasRow()) {
        rows.add(p);
      }
      if (p.replaces()) {
        replaced.add(id);
      }
    });
    return BatchFiles.write(table, commitId, rows, new EncodedRows().reporting(progress()), TableNames.TRAJECTORY_ID,
        replaced, writeThreads);
  }

  @Override
  protected long rowsWritten() {
    return pending.values().stream().filter(Pending::hasRow).count();
  }

  @Override
  protected long rowsReplaced() {
    return pending.values().stream().filter(Pending::replaces).count();
  }

  @Override
  protected void clearRows() {
    pending.clear();
    partitions.clear();
  }
}
