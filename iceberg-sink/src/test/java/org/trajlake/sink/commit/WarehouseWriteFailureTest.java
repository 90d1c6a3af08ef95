package org.trajlake.sink.commit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.inmemory.InMemoryCatalog;
import org.apache.iceberg.types.Types;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.trajlake.schema.serde.ConfluentGenericDecoder.WriterRecord;

/**
 * A batch whose files cannot be written (the warehouse refuses them for a while) is written again
 * after a backoff and then committed once: the sink's loop neither dies nor commits a partial batch.
 */
class WarehouseWriteFailureTest {
  @Test
  void aBatchWhoseFilesFailToWriteIsWrittenAgainAndCommittedOnce() {
    // Given a lane whose warehouse refuses the first two writes of the batch
    InMemoryCatalog catalog = new InMemoryCatalog();
    catalog.initialize("test", Map.of());
    catalog.createNamespace(Namespace.of("ns"));
    Table table = catalog.createTable(TableIdentifier.of("ns", "t"),
        new Schema(Types.NestedField.required(1, "id", Types.StringType.get())));
    FlakyLane lane = new FlakyLane(table, 2);
    lane.deadLettered(new ConsumerRecord<>("topic", 0, 0L, new byte[0], new byte[0]));
    lane.deadLettered(new ConsumerRecord<>("topic", 0, 1L, new byte[0], new byte[0]));

    // When the batch is committed
    TableLane.Committed committed = lane.commit().orElseThrow();

    // Then the files were written three times, each attempt under its own name, and one snapshot
    // covers both offsets
    assertThat(lane.attempts).hasSize(3);
    assertThat(lane.attempts).doesNotHaveDuplicates();
    assertThat(committed.records()).isEqualTo(2);
    table.refresh();
    assertThat(table.snapshots()).hasSize(1);
    assertThat(SinkSummary.committedOffsets(table, "topic").orElseThrow()).containsExactlyEntriesOf(Map.of(0, 2L));
    assertThat(lane.hasRecords()).isFalse();
  }

  /** A lane that holds no rows of its own and whose file writes fail a given number of times. */
  private static final class FlakyLane extends TableLane {
    private final List<String> attempts = new ArrayList<>();
    private int failuresLeft;

    FlakyLane(Table table, int failures) {
      super("topic", table, 1, new RetryPolicy(Duration.ofMillis(1), Duration.ofMillis(5)), CommitObserver.NONE);
      this.failuresLeft = failures;
    }

    @Override
    protected void prepareFor(WriterRecord decoded) {}

    @Override
    protected boolean accept(WriterRecord decoded) {
      return true;
    }

    @Override
    protected BatchFiles.Written writeFiles(String operationId) {
      attempts.add(operationId);
      if (failuresLeft-- > 0) {
        throw new UncheckedIOException(new IOException("Permission denied: " + table.location() + "/data"));
      }
      return new BatchFiles.Written(List.of(), List.of());
    }


    @Override
    protected long rowsWritten() {
      return 0;
    }

    @Override
    protected long rowsReplaced() {
      return 0;
    }

    @Override
    protected void clearRows() {}
  }
}
