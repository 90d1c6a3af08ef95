package org.trajlake.sink.commit;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.iceberg.RowDelta;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotUpdate;
import org.apache.iceberg.Table;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trajlake.schema.serde.ConfluentGenericDecoder.WriterRecord;

/**
 * One input topic written into one table: the batch being gathered, the offsets it covers, and the
 * commit that makes it visible exactly once.
 *
 * <p>The commit protocol: the batch's files are written first (invisible until committed). Then, with
 * the table refreshed, the offsets the last sink snapshot holds for the batch's partitions must still
 * be the ones this batch started from; otherwise another instance committed those records meanwhile
 * (a rebalance moved the partition) and the batch is dropped and its partitions read again from the
 * table. The snapshot then carries the full offset map, with this batch's ends, in its summary. Tables
 * are created with automatic commit retries off, so a concurrent commit fails here and is checked
 * again rather than re-applied blindly; a commit whose outcome is unknown (the catalog answered
 * nothing) is looked up by its commit id before it is tried again.
 */
abstract class TableLane {
  private static final Logger LOG = LoggerFactory.getLogger(TableLane.class);

  /** The batch was not committed because another writer committed its partitions first. */
  static final class FencedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    FencedException(String message) {
      super(message);
    }
  }

  /** What one commit did, for metrics and logs. */
  record Committed(String table, long snapshotId, long records, long rowsWritten, long rowsReplaced, long filtered,
      long deadLettered, long bytes, long oldestRecordTimestamp, long writeNanos, long commitNanos) {}

  protected final String topic;
  protected final Table table;
  protected final int writeThreads;
  private final RetryPolicy retry;
  private final CommitObserver observer;
  // Partition -> the next offset of the last commit this lane knows of; absent: never committed.
  private final Map<Integer, Long> known = new HashMap<>();
  // This batch: partition -> [first offset, next offset).
  private final SortedMap<Integer, long[]> ranges = new TreeMap<>();
  private final SortedSet<Integer> schemaIds = new TreeSet<>();
  private long records;
  private long bytes;
  private long filtered;
  private long deadLettered;
  private long startedNanos = -1;
  private long oldestTimestamp = Long.MAX_VALUE;

  TableLane(String topic, Table table, int writeThreads, RetryPolicy retry, CommitObserver observer) {
    this.topic = topic;
    this.table = table;
    this.writeThreads = writeThreads;
    this.retry = retry;
    this.observer = observer;
  }

  String topic() {
    return topic;
  }

  Table table() {
    return table;
  }

  /** Adds a decoded record to the batch. May commit first, when the record needs a newer table schema. */
  final void add(ConsumerRecord<byte[], byte[]> record, WriterRecord decoded) {
    prepareFor(decoded);
    if (accept(decoded, record.value())) {
      schemaIds.add(decoded.schemaId());
    } else {
      filtered++;
    }
    track(record);
  }

  /** Counts a record that went to the dead-letter topic instead: its offset is still covered by the batch. */
  final void deadLettered(ConsumerRecord<byte[], byte[]> record) {
    deadLettered++;
    track(record);
  }

  long records() {
    return records;
  }

  long bytes() {
    return bytes;
  }

  long startedNanos() {
    return startedNanos;
  }

  /** The offsets to resume {@code topic} from, as the table's last sink snapshot holds them. */
  SortedMap<Integer, Long> committedOffsets() {
    table.refresh();
    return SinkSummary.committedOffsets(table, topic).orElseGet(TreeMap::new);
  }

  /** This lane now reads {@code partition} from {@code committedOffset} (null: from the beginning). */
  void assigned(int partition, Long committedOffset) {
    if (committedOffset == null) {
      known.remove(partition);
    } else {
      known.put(partition, committedOffset);
    }
  }

  /**
   * Commits the batch, if it has records.
   *
   * @throws FencedException when another writer committed the batch's partitions meanwhile; the batch is dropped
   */
  final Optional<Committed> commit() {
    if (records == 0) {
      return Optional.empty();
    }
    String commitId = UUID.randomUUID().toString();
    long writeStart = System.nanoTime();
    BatchFiles.Written files = writeUntilWritten(commitId);
    long writeNanos = System.nanoTime() - writeStart;
    observer.filesWritten(table.name());
    long commitStart = System.nanoTime();
    for (int attempt = 1; ; attempt++) {
      SortedMap<Integer, Long> committed = committedOffsets();
      Snapshot checked = table.currentSnapshot();
      for (Map.Entry<Integer, long[]> range : ranges.entrySet()) {
        Long expected = known.get(range.getKey());
        if (!Objects.equals(committed.get(range.getKey()), expected)) {
          String message = String.format("%s: partition %d of %s was committed up to %s by another writer while this "
                  + "batch started at %s; dropping the batch and reading on from the table", table.name(), range.getKey(),
              topic, committed.get(range.getKey()), expected);
          discard(files);
          throw new FencedException(message);
        }
      }
      SortedMap<Integer, Long> offsets = new TreeMap<>(committed);
      ranges.forEach((partition, range) -> offsets.put(partition, range[1]));
      Map<String, String> summary = new LinkedHashMap<>();
      summary.put(SinkSummary.TOPIC, topic);
      summary.put(SinkSummary.OFFSETS, SinkSummary.offsetsJson(offsets));
      summary.put(SinkSummary.OFFSET_RANGES, SinkSummary.rangesJson(ranges));
      summary.put(SinkSummary.COMMIT_ID, commitId);
      summary.put(SinkSummary.SCHEMA_IDS, SinkSummary.schemaIdsJson(schemaIds));
      summary.put(SinkSummary.RECORDS, Long.toString(records));
      summary.put(SinkSummary.ROWS_WRITTEN, Long.toString(rowsWritten()));
      summary.put(SinkSummary.ROWS_REPLACED, Long.toString(rowsReplaced()));
      summary.put(SinkSummary.FILTERED, Long.toString(filtered));
      summary.put(SinkSummary.DEAD_LETTERED, Long.toString(deadLettered));
      observer.offsetsChecked(table.name());
      SnapshotUpdate<?> update = operation(files, checked);
      summary.forEach(update::set);
      try {
        update.commit();
      } catch (CommitFailedException | ValidationException e) {
        LOG.info("{}: a concurrent commit won (attempt {}); checking the offsets again", table.name(), attempt);
        continue;
      } catch (RuntimeException e) {
        Optional<Snapshot> landed = findCommit(commitId);
        if (landed.isEmpty()) {
          Duration wait = retry.delay(attempt);
          LOG.warn("{}: commit failed (attempt {}), trying again in {} ms: {}", table.name(), attempt, wait.toMillis(),
              e.toString());
          retry.sleep(wait, table.name() + ": commit failed, trying again (attempt " + attempt + "): " + e);
          continue;
        }
      }
      Snapshot snapshot = findCommit(commitId).orElseThrow(() ->
          new IllegalStateException(table.name() + ": commit " + commitId + " succeeded but is not in the history"));
      Committed result = new Committed(table.name(), snapshot.snapshotId(), records, rowsWritten(), rowsReplaced(),
          filtered, deadLettered, files.bytes(), oldestTimestamp, writeNanos, System.nanoTime() - commitStart);
      ranges.forEach((partition, range) -> known.put(partition, range[1]));
      clear();
      observer.committed(table.name(), snapshot.snapshotId());
      return Optional.of(result);
    }
  }

  /**
   * Writes the batch's files, again after a backoff for as long as the warehouse refuses them (a full
   * disk, a directory without write permission, an object store that is down). A write failure used
   * to end the sink's loop: the process stayed up, unhealthy, and never caught up once the warehouse
   * was writable again. The batch stays in memory meanwhile and nothing is committed until every one
   * of its files is whole; the files of a failed attempt are named by that attempt and stay
   * unreferenced, so no reader ever sees them.
   */
  private BatchFiles.Written writeUntilWritten(String commitId) {
    for (int attempt = 1; ; attempt++) {
      try {
        return writeFiles(attempt == 1 ? commitId : commitId + "-" + attempt);
      } catch (RuntimeException e) {
        Duration wait = retry.delay(attempt);
        LOG.error("{}: writing the files of a batch of {} records under {} failed (attempt {}); nothing was "
            + "committed, writing them again in {} ms: {}", table.name(), records, table.location(), attempt,
            wait.toMillis(), e.toString());
        retry.sleep(wait, table.name() + ": writing a batch's files under " + table.location()
            + " failed, writing them again (attempt " + attempt + "): " + e);
      }
    }
  }

  /** Drops the batch without committing (its partitions will be read again from the table's offsets). */
  final void abandon() {
    clear();
  }

  /** Gets the table ready for {@code decoded} (evolving its schema, committing first if need be). */
  protected abstract void prepareFor(WriterRecord decoded);

  /**
   * Adds a decoded record's row to the batch; false when it does not graduate (no row).
   *
   * @param payload the record's encoded value, which a lane may keep instead of the decoded record
   */
  protected abstract boolean accept(WriterRecord decoded, byte[] payload);

  protected abstract BatchFiles.Written writeFiles(String commitId);

  /** To be told of each row written: the sink's loop is waiting on the writers, not stuck. */
  protected final Runnable progress() {
    return retry.progress();
  }

  /**
   * The snapshot of the batch's files, valid only on top of {@code checked}, the snapshot whose offsets
   * were just checked. Iceberg refreshes the table when it applies an update, so without this another
   * instance's commit landing between the check and the commit would be built upon unnoticed, and the
   * same records committed twice (seen once in {@code IcebergSinkIT}). With it, any data or delete
   * file added since fails the commit, and the offsets are checked again. A row delta of data files
   * only is still an {@code append} snapshot.
   */
  private SnapshotUpdate<?> operation(BatchFiles.Written files, Snapshot checked) {
    RowDelta delta = table.newRowDelta();
    files.data().forEach(delta::addRows);
    files.deletes().forEach(delta::addDeletes);
    if (checked != null) {
      delta.validateFromSnapshot(checked.snapshotId());
    }
    return delta.validateNoConflictingDataFiles().validateNoConflictingDeleteFiles();
  }

  protected abstract long rowsWritten();

  protected abstract long rowsReplaced();

  /** Forgets the batch's rows. */
  protected abstract void clearRows();

  boolean hasRecords() {
    return records > 0;
  }

  private void track(ConsumerRecord<byte[], byte[]> record) {
    if (records == 0) {
      startedNanos = System.nanoTime();
    }
    records++;
    bytes += record.serializedValueSize() < 0 ? 0 : record.serializedValueSize();
    if (record.timestamp() >= 0) {
      oldestTimestamp = Math.min(oldestTimestamp, record.timestamp());
    }
    long[] range = ranges.get(record.partition());
    if (range == null) {
      ranges.put(record.partition(), new long[] {record.offset(), record.offset() + 1});
    } else {
      range[1] = record.offset() + 1;
    }
  }

  private void clear() {
    clearRows();
    ranges.clear();
    schemaIds.clear();
    records = 0;
    bytes = 0;
    filtered = 0;
    deadLettered = 0;
    startedNanos = -1;
    oldestTimestamp = Long.MAX_VALUE;
  }

  private Optional<Snapshot> findCommit(String commitId) {
    table.refresh();
    Snapshot snapshot = table.currentSnapshot();
    while (snapshot != null) {
      if (commitId.equals(snapshot.summary().get(SinkSummary.COMMIT_ID))) {
        return Optional.of(snapshot);
      }
      snapshot = snapshot.parentId() == null ? null : table.snapshot(snapshot.parentId());
    }
    return Optional.empty();
  }

  private void discard(BatchFiles.Written files) {
    files.data().forEach(f -> deleteQuietly(f.location()));
    files.deletes().forEach(f -> deleteQuietly(f.location()));
    clear();
  }

  private void deleteQuietly(String location) {
    try {
      table.io().deleteFile(location);
    } catch (RuntimeException e) {
      LOG.debug("could not delete unreferenced file {}: {}", location, e.toString());
    }
  }
}
