package org.trajlake.sink.commit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.trajlake.schema.serde.ConfluentGenericDecoder.WriterRecord;
import org.trajlake.sink.table.RowConverter;
import org.trajlake.sink.table.RowSource;
import org.trajlake.sink.table.SinkTables;
import org.trajlake.sink.table.TableSchemas;

/** Outcomes into the append-only outcomes table: one row per outcome record of the topic. */
final class OutcomeLane extends TableLane {
  private final Map<Integer, RowConverter> converters = new HashMap<>();
  private final List<Record> rows = new ArrayList<>();

  OutcomeLane(String topic, Table table, int writeThreads, RetryPolicy retry, CommitObserver observer) {
    super(topic, table, writeThreads, retry, observer);
  }

  @Override
  protected void prepareFor(WriterRecord decoded) {
    if (converters.containsKey(decoded.schemaId())) {
      return;
    }
    org.apache.iceberg.Schema derived = TableSchemas.outcomes(decoded.schema());
    if (!SinkTables.containsAll(table.schema(), derived)) {
      commit();
      SinkTables.evolve(table, derived);
      converters.clear();
    }
    converters.put(decoded.schemaId(), RowConverter.direct(table.schema(), decoded.schema()));
  }

  @Override
  protected boolean accept(WriterRecord decoded, byte[] payload) {
    rows.add(converters.get(decoded.schemaId()).convert(decoded.value()));
    return true;
  }

  @Override
  protected BatchFiles.Written writeFiles(String commitId) {
    return BatchFiles.write(table, commitId, rows, RowSource.rows(table).reporting(progress()), null, List.of(),
        writeThreads);
  }

  @Override
  protected long rowsWritten() {
    return rows.size();
  }

  @Override
  protected long rowsReplaced() {
    return 0;
  }

  @Override
  protected void clearRows() {
    rows.clear();
  }
}
