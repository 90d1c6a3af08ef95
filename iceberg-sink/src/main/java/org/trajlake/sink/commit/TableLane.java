package org.trajlake.sink.commit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
 *
 * <p>A batch is sealed before it is written: its rows and offsets leave the lane, which gathers the
 * next batch from an empty one. {@link #commitInBackground} writes and commits the sealed batch on the
 * lane's committer thread while the loop reads on; at most one batch is in flight, and the next is
 * sealed only once it is committed, so the lane's snapshots keep the order of its offsets. Everything
 * else here (adding records, sealing, waiting, seeking) happens on the loop's thread, and only once
 * nothing is in flight does the loop touch what a commit reads ({@link #assigned}).
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

  /**
   * What one commit did, for metrics, logs and the advisory group offsets.
   *
   * @param nextOffsets partition -> the next offset to read, for the partitions of the batch
   * @param committedAtMillis wall-clock time the snapshot was committed
   */
  record Committed(String table, String topic, long snapshotId, long records, long rowsWritten, long rowsReplaced,
      long filtered, long deadLettered, long bytes, long oldestRecordTimestamp, long writeNanos, long commitNanos,
      SortedMap<Integer, Long> nextOffsets, long committedAtMillis) {}

  /** The rows of a sealed batch, taken out of the lane: what its files are written from. */
  interface SealedRows {
    /** Writes the rows' files (not committed); may run on the committer thread, called again after a failure. */
    BatchFiles.Written write(String commitId);

    long written();

    long replaced();
  }

  /** A batch taken out of the lane to be committed, with what its snapshot summary says. */
  private record Sealed(SortedMap<Integer, long[]> ranges, SortedSet<Integer> schemaIds, long records, long filtered,
      long deadLettered, long oldestTimestamp, SealedRows rows) {}

  protected final String topic;
  protected final Table table;
  protected final int writeThreads;
  private final RetryPolicy retry;
  private final CommitObserver observer;
  // Partition -> the next offset of the last commit this lane knows of; absent: never committed. Written
  // by commits (on the committer thread) and by assigned() once nothing is in flight.
  private final Map<Integer, Long> known = new ConcurrentHashMap<>();
  // This batch: partition -> [first offset, next offset).
  private SortedMap<Integer, long[]> ranges = new TreeMap<>();
  private SortedSet<Integer> schemaIds = new TreeSet<>();
  private long records;
  private long bytes;
  private long filtered;
  private long deadLettered;
  private long startedNanos = -1;
  private long oldestTimestamp = Long.MAX_VALUE;
  private ExecutorService committer;
  private Future<Committed> inFlight;
  private final List<Committed> finished = new ArrayList<>();

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
   * Commits the batch, if it has records, on this thread, once the batch in flight (if any) is
   * committed.
   *
   * @return this batch's commit; the one in flight goes to {@link #takeFinished}
   * @throws FencedException when another writer committed the partitions of this batch or of the one in
   *     flight meanwhile; that batch is dropped
   */
  final Optional<Committed> commit() {
    awaitInFlight();
    if (records == 0) {
      return Optional.empty();
    }
    return Optional.of(commit(seal()));
  }

  /**
   * Seals the batch, if it has records, and writes and commits it on the lane's committer thread, once
   * the batch in flight (if any) is committed: the caller waits only for that one.
   *
   * @throws FencedException when another writer committed the partitions of the batch in flight
   */
  final void commitInBackground() {
    awaitInFlight();
    if (records == 0) {
      return;
    }
    Sealed batch = seal();
    if (committer == null) {
      committer = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "iceberg-sink-commit-" + table.name());
        thread.setDaemon(true);
        return thread;
      });
    }
    inFlight = committer.submit(() -> commit(batch));
  }

  /** Whether no batch is in flight or the one in flight is done: {@link #awaitInFlight} would not wait. */
  final boolean inFlightDone() {
    return inFlight == null || inFlight.isDone();
  }

  /**
   * Waits for the batch in flight, if any; its commit goes to {@link #takeFinished}.
   *
   * @throws FencedException when another writer committed its partitions meanwhile: it was dropped
   */
  final void awaitInFlight() {
    if (inFlight == null) {
      return;
    }
    try {
      finished.add(inFlight.get());
      inFlight = null;
    } catch (ExecutionException e) {
      inFlight = null;
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(table.name() + ": committing a batch failed", cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(table.name() + ": interrupted while a batch was being committed", e);
    }
  }

  /** The commits finished since the last call, oldest first. */
  final List<Committed> takeFinished() {
    List<Committed> taken = List.copyOf(finished);
    finished.clear();
    return taken;
  }

  /** Stops the committer thread, interrupting a batch in flight (its files stay unreferenced). */
  final void close() {
    if (committer != null) {
      committer.shutdownNow();
    }
  }

  /** Takes the batch out of the lane, which starts an empty one. */
  private Sealed seal() {
    Sealed batch = new Sealed(ranges, schemaIds, records, filtered, deadLettered, oldestTimestamp, sealRows());
    ranges = new TreeMap<>();
    schemaIds = new TreeSet<>();
    clearCounters();
    return batch;
  }

  private Committed commit(Sealed batch) {
    String commitId = UUID.randomUUID().toString();
    long writeStart = System.nanoTime();
    BatchFiles.Written files = writeUntilWritten(batch, commitId);
    long writeNanos = System.nanoTime() - writeStart;
    observer.filesWritten(table.name());
    long commitStart = System.nanoTime();
    for (int attempt = 1; ; attempt++) {
      SortedMap<Integer, Long> committed = committedOffsets();
      Snapshot checked = table.currentSnapshot();
      for (Map.Entry<Integer, long[]> range : batch.ranges().entrySet()) {
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
      SortedMap<Integer, Long> nextOffsets = new TreeMap<>();
      batch.ranges().forEach((partition, range) -> nextOffsets.put(partition, range[1]));
      offsets.putAll(nextOffsets);
      Map<String, String> summary = new LinkedHashMap<>();
      summary.put(SinkSummary.TOPIC, topic);
      summary.put(SinkSummary.OFFSETS, SinkSummary.offsetsJson(offsets));
      summary.put(SinkSummary.OFFSET_RANGES, SinkSummary.rangesJson(batch.ranges()));
      summary.put(SinkSummary.COMMIT_ID, commitId);
      summary.put(SinkSummary.SCHEMA_IDS, SinkSummary.schemaIdsJson(batch.schemaIds()));
      summary.put(SinkSummary.RECORDS, Long.toString(batch.records()));
      summary.put(SinkSummary.ROWS_WRITTEN, Long.toString(batch.rows().written()));
      summary.put(SinkSummary.ROWS_REPLACED, Long.toString(batch.rows().replaced()));
      summary.put(SinkSummary.FILTERED, Long.toString(batch.filtered()));
      summary.put(SinkSummary.DEAD_LETTERED, Long.toString(batch.deadLettered()));
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
          retry.sleep(wait);
          continue;
        }
      }
      Snapshot snapshot = findCommit(commitId).orElseThrow(() ->
          new IllegalStateException(table.name() + ": commit " + commitId + " succeeded but is not in the history"));
      known.putAll(nextOffsets);
      Committed result = new Committed(table.name(), topic, snapshot.snapshotId(), batch.records(),
          batch.rows().written(), batch.rows().replaced(), batch.filtered(), batch.deadLettered(), files.bytes(),
          batch.oldestTimestamp(), writeNanos, System.nanoTime() - commitStart, nextOffsets, System.currentTimeMillis());
      observer.committed(table.name(), snapshot.snapshotId());
      return result;
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
  private BatchFiles.Written writeUntilWritten(Sealed batch, String commitId) {
    for (int attempt = 1; ; attempt++) {
      try {
        return batch.rows().write(attempt == 1 ? commitId : commitId + "-" + attempt);
      } catch (RuntimeException e) {
        Duration wait = retry.delay(attempt);
        LOG.error("{}: writing the files of a batch of {} records under {} failed (attempt {}); nothing was "
            + "committed, writing them again in {} ms: {}", table.name(), batch.records(), table.location(), attempt,
            wait.toMillis(), e.toString());
        retry.sleep(wait);
      }
    }
  }

  /** Drops the batch being gathered without committing (its partitions will be read again from the table's offsets). */
  final void abandon() {
    sealRows();
    ranges.clear();
    schemaIds.clear();
    clearCounters();
  }

  /** Gets the table ready for {@code decoded} (evolving its schema, committing first if need be). */
  protected abstract void prepareFor(WriterRecord decoded);

  /**
   * Adds a decoded record's row to the batch; false when it does not graduate (no row).
   *
   * @param payload the record's encoded value, which a lane may keep instead of the decoded record
   */
  protected abstract boolean accept(WriterRecord decoded, byte[] payload);

  /**
   * Hands over the batch's rows and starts gathering the next batch's from none. What it returns must
   * not share anything the lane changes afterwards: its files may be written while the lane reads on.
   */
  protected abstract SealedRows sealRows();

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

  private void clearCounters() {
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
  }

  private void deleteQuietly(String location) {
    try {
      table.io().deleteFile(location);
    } catch (RuntimeException e) {
      LOG.debug("could not delete unreferenced file {}: {}", location, e.toString());
    }
  }
}
