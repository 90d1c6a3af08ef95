package org.trajlake.sink.commit;

import java.time.Duration;
import java.util.Map;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.inmemory.InMemoryCatalog;
import org.apache.iceberg.types.Types;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.trajlake.schema.serde.ConfluentGenericDecoder.WriterRecord;

/**
 * A lane for the commit protocol's tests, on topic {@code topic} of a one-column table ({@code id}):
 * it takes records as they come, without decoding; a subclass says how the batch's files are written.
 */
abstract class TestLane extends TableLane {
  static final TableIdentifier TABLE = TableIdentifier.of("ns", "t");

  TestLane(Table table, CommitObserver observer) {
    this(table, observer, new RetryPolicy(Duration.ofMillis(1), Duration.ofMillis(5)));
  }

  TestLane(Table table, CommitObserver observer, RetryPolicy retry) {
    super("topic", table, 1, retry, observer);
  }

  /** An in-memory catalog holding {@link #TABLE} with {@code properties}. */
  static InMemoryCatalog catalogWithTable(Map<String, String> properties) {
    InMemoryCatalog catalog = new InMemoryCatalog();
    catalog.initialize("test", Map.of());
    catalog.createNamespace(Namespace.of("ns"));
    catalog.createTable(TABLE, new Schema(Types.NestedField.required(1, "id", Types.StringType.get())), null,
        properties);
    return catalog;
  }

  /** A record of partition 0 of {@code topic} at {@code offset}. */
  static ConsumerRecord<byte[], byte[]> record(long offset) {
    return new ConsumerRecord<>("topic", 0, offset, new byte[0], new byte[0]);
  }

  @Override
  protected void prepareFor(WriterRecord decoded) {}

  @Override
  protected boolean accept(WriterRecord decoded, byte[] payload) {
    return true;
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
