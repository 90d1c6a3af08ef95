package org.trajlake.sink.commit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.trajlake.schema.serde.ConfluentGenericDecoder.WriterRecord;
import org.trajlake.sink.Graduation;
import org.trajlake.sink.table.RowConverter;
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
 */
final class TrajectoryLane extends TableLane {
  /** The latest version of a trajectory in this batch; {@code row} null when it does not graduate. */
  private record Pending(long version, Record row, boolean replaces) {}

  private final Graduation graduation;
  private final Map<Integer, RowConverter> converters = new HashMap<>();
  private final Map<String, Pending> pending = new LinkedHashMap<>();

  TrajectoryLane(String topic, Table table, int writeThreads, RetryPolicy retry, CommitObserver observer,
      Graduation graduation) {
    super(topic, table, writeThreads, retry, observer);
    this.graduation = graduation;
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
    }
    converters.put(decoded.schemaId(), RowConverter.trajectories(table.schema(), decoded.schema()));
  }

  @Override
  protected boolean accept(WriterRecord decoded) {
    GenericRecord value = decoded.value();
    String id = ((GenericRecord) value.get("trajectory")).get(TableNames.TRAJECTORY_ID).toString();
    long version = ((Number) value.get(TableNames.VERSION)).longValue();
    Pending earlier = pending.get(id);
    if (earlier != null && earlier.version() >= version) {
      return false; // an older or repeated version: the batch already has a newer one
    }
    boolean graduates = graduation.admits(value);
    Record row = graduates ? converters.get(decoded.schemaId()).convert(value) : null;
    boolean replaces = earlier != null ? earlier.replaces() : version > 1;
    pending.put(id, new Pending(version, row, replaces));
    return graduates;
  }

  @Override
  protected BatchFiles.Written writeFiles(String commitId) {
    List<Record> rows = new ArrayList<>(pending.size());
    List<String> replaced = new ArrayList<>();
    pending.forEach((id, p) -> {
      if (p.row() != null) {
        rows.add(p.row());
      }
      if (p.replaces()) {
        replaced.add(id);
      }
    });
    return BatchFiles.write(table, commitId, rows, TableNames.TRAJECTORY_ID, replaced, writeThreads);
  }

  @Override
  protected long rowsWritten() {
    return pending.values().stream().filter(p -> p.row() != null).count();
  }

  @Override
  protected long rowsReplaced() {
    return pending.values().stream().filter(Pending::replaces).count();
  }

  @Override
  protected void clearRows() {
    pending.clear();
  }
}
