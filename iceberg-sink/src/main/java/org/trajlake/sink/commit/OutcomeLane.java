package org.trajlake.sink.commit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.trajlake.schema.serde.ConfluentGenericDecoder.WriterRecord;
import org.trajlake.sink.table.RowConverter;
import org.trajlake.sink.table.SinkTables;
import org.trajlake.sink.table.TableSchemas;

/** Outcomes into the append-only outcomes table: one row per outcome record of the topic. */
final class OutcomeLane extends TableLane {
  private final Map<Integer, RowConverter> converters = new HashMap<>();
  private List<Record> rows = new ArrayList<>();

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
  protected SealedRows sealRows() {
    List<Record> sealed = rows;
    rows = new ArrayList<>();
    return new SealedRows() {
      @Override
      public BatchFiles.Written write(String commitId) {
        return BatchFiles.write(table, commitId, sealed, null, List.of(), writeThreads);
      }

      @Override
      public long written() {
        return sealed.size();
      }

      @Override
      public long replaced() {
        return 0;
      }
    };
  }
}
