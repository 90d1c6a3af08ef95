package org.trajlake.sink.commit;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trajlake.runtime.DeadLetterProducer;
import org.trajlake.runtime.LoopWatch;
import org.trajlake.schema.serde.AvroSerdeException;
import org.trajlake.schema.serde.ConfluentGenericDecoder;
import org.trajlake.schema.serde.ConfluentGenericDecoder.WriterRecord;
import org.trajlake.sink.CommitTriggers;

/**
 * The sink's loop: polls the input topics, hands each record to its table's lane (or to the
 * dead-letter topic), and commits every lane when a trigger fires, on a rebalance and on stop.
 * Partitions are always positioned from the offsets in the tables' last sink snapshots; the Kafka
 * group offsets committed after each snapshot are only for lag monitoring.
 */
public final class IcebergSink implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(IcebergSink.class);

  private final Consumer<byte[], byte[]> consumer;
  private final Map<String, TableLane> lanes;
  private final ConfluentGenericDecoder decoder;
  private final DeadLetterProducer deadLetters;
  private final CommitTriggers triggers;
  private final SinkMetrics metrics;
  private final Duration pollTimeout;
  private final RetryPolicy retry;
  private final Clock clock;
  private final LoopWatch watch;
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final Set<String> refetching = new HashSet<>();
  // Why the loop stopped on an error; null while it runs or after a clean stop.
  private volatile String crash;
  private volatile long committedSnapshots;

  IcebergSink(Consumer<byte[], byte[]> consumer, List<TableLane> lanes, ConfluentGenericDecoder decoder,
      DeadLetterProducer deadLetters, CommitTriggers triggers, SinkMetrics metrics, Duration pollTimeout, RetryPolicy retry,
      Clock clock, LoopWatch watch) {
    this.consumer = consumer;
    this.lanes = new HashMap<>();
    lanes.forEach(lane -> this.lanes.put(lane.topic(), lane));
    this.decoder = decoder;
    this.deadLetters = deadLetters;
    this.triggers = triggers;
    this.metrics = metrics;
    this.pollTimeout = pollTimeout;
    this.retry = retry;
    this.clock = clock;
    this.watch = watch;
  }

  @Override
  public void run() {
    try {
      consumer.subscribe(new ArrayList<>(lanes.keySet()), new Rebalance());
      while (!stopping.get()) {
        ConsumerRecords<byte[], byte[]> records;
        try {
          records = consumer.poll(pollTimeout);
        } catch (WakeupException e) {
          break;
        }
        watch.beat();
        retry.waitingOut().cleared(); // back at the poll: whatever was retried has succeeded
        refetching.clear();
        for (ConsumerRecord<byte[], byte[]> record : records) {
          // After a fence the lane's partitions were sought back: the rest of this poll comes again.
          if (!refetching.contains(record.topic())) {
            handle(record);
            watch.beat();
            // Checked per record, so commit.max.records and commit.max.bytes bound a batch exactly.
            if (due()) {
              commitAll();
            }
          }
        }
        if (due()) {
          commitAll(); // the interval trigger, when no records came
        }
      }
      commitAll();
    } catch (RuntimeException e) {
      crash = "the sink's loop stopped: " + e;
      LOG.error("iceberg-sink stopped: {}", e.toString(), e);
      throw e;
    } finally {
      consumer.close();
    }
  }

  /** Asks the loop to commit what it has and stop. */
  public void close() {
    stopping.set(true);
    consumer.wakeup();
  }

  /**
   * Running, not waiting out a failure (the registry, the warehouse or the catalog refusing), and
   * not stuck in a call that neither returns nor fails.
   */
  public boolean healthy() {
    return problem().isEmpty();
  }

  /** Why the sink is not healthy: why its loop stopped, that it is stuck, or the failure it is waiting out. */
  public Optional<String> problem() {
    if (crash != null) {
      return Optional.of(crash);
    }
    Optional<String> stall = watch.stall();
    return stall.isPresent() ? stall : retry.waitingOut().failure();
  }

  /** Snapshots this loop committed so far. */
  public long committedSnapshots() {
    return committedSnapshots;
  }

  private void handle(ConsumerRecord<byte[], byte[]> record) {
    TableLane lane = lanes.get(record.topic());
    metrics.records(record.topic(), 1);
    if (record.value() == null) {
      reject(lane, record, "tombstone", "a record without a value; the sink's inputs carry none");
      return;
    }
    Optional<WriterRecord> decoded = decode(lane, record);
    if (decoded.isEmpty()) {
      return;
    }
    String problem = problem(lane, record, decoded.get());
    if (problem != null) {
      reject(lane, record, problem.substring(0, problem.indexOf(':')), problem.substring(problem.indexOf(':') + 2));
      return;
    }
    try {
      lane.add(record, decoded.get());
    } catch (TableLane.FencedException e) {
      fenced(lane, e);
    }
  }

  /** Decodes, dead-lettering a bad record; waits and tries again while the registry is unreachable. */
  private Optional<WriterRecord> decode(TableLane lane, ConsumerRecord<byte[], byte[]> record) {
    for (int attempt = 1; ; attempt++) {
      try {
        return Optional.of(decoder.decode(record.topic(), record.value()));
      } catch (AvroSerdeException e) {
        if (e.reason().isBadRecord()) {
          reject(lane, record, e.reason().name().toLowerCase(Locale.ROOT).replace('_', '-'), e.getMessage());
          return Optional.empty();
        }
        Duration wait = retry.delay(attempt);
        LOG.warn("schema registry unavailable ({}); decoding again in {} ms", e.getMessage(), wait.toMillis());
        retry.sleep(wait, "schema registry unavailable, decoding again (attempt " + attempt + "): " + e.getMessage());
      }
    }
  }

  /** Why a decoded record cannot become a row, as "reason: detail", or null when it can. */
  private static String problem(TableLane lane, ConsumerRecord<byte[], byte[]> record, WriterRecord decoded) {
    if (!(lane instanceof TrajectoryLane)) {
      return null;
    }
    Object trajectory = decoded.value().get("trajectory");
    Object id = trajectory instanceof GenericRecord r ? r.get("trajectory_id") : null;
    if (id == null || id.toString().isBlank()) {
      return "missing-trajectory-id: the record has no trajectory_id, the table's identifier";
    }
    if (record.key() != null && !id.toString().equals(new String(record.key(), StandardCharsets.UTF_8))) {
      return "key-mismatch: the key is not the record's trajectory_id '" + id + "'";
    }
    return null;
  }

  private void reject(TableLane lane, ConsumerRecord<byte[], byte[]> record, String reason, String detail) {
    deadLetters.send(record, reason, detail);
    metrics.deadLettered(reason);
    lane.deadLettered(record);
  }

  private boolean due() {
    long now = System.nanoTime();
    long records = 0;
    long bytes = 0;
    long started = Long.MAX_VALUE;
    for (TableLane lane : lanes.values()) {
      if (lane.hasRecords()) {
        records += lane.records();
        bytes += lane.bytes();
        started = Math.min(started, lane.startedNanos());
      }
    }
    return triggers.due(records, bytes, started, now);
  }

  /** Commits every lane that has records; a fenced lane is read again from its table's offsets. */
  private void commitAll() {
    boolean any = lanes.values().stream().anyMatch(TableLane::hasRecords);
    if (!any) {
      return;
    }
    // A dead-lettered record must be in the dead-letter topic before a snapshot covers its offset;
    // if one could not be written, nothing is committed and the loop stops, to read it again.
    deadLetters.flushAndCheck();
    for (TableLane lane : lanes.values()) {
      try {
        lane.commit().ifPresent(committed -> {
          watch.beat();
          committedSnapshots++;
          metrics.committed(committed, clock.millis());
          LOG.info("{}: snapshot {} with {} records ({} rows, {} replaced, {} filtered, {} dead-lettered)",
              committed.table(), committed.snapshotId(), committed.records(), committed.rowsWritten(),
              committed.rowsReplaced(), committed.filtered(), committed.deadLettered());
        });
      } catch (TableLane.FencedException e) {
        fenced(lane, e);
      }
    }
    commitGroupOffsets();
  }

  private void fenced(TableLane lane, TableLane.FencedException e) {
    LOG.warn(e.getMessage());
    metrics.fenced(lane.table().name());
    lane.abandon();
    refetching.add(lane.topic());
    seekFromTable(lane, assigned(lane.topic()));
  }

  private Collection<TopicPartition> assigned(String topic) {
    return consumer.assignment().stream().filter(tp -> tp.topic().equals(topic)).toList();
  }

  private void seekFromTable(TableLane lane, Collection<TopicPartition> partitions) {
    if (partitions.isEmpty()) {
      return;
    }
    SortedMap<Integer, Long> committed = lane.committedOffsets();
    List<TopicPartition> fromBeginning = new ArrayList<>();
    for (TopicPartition tp : partitions) {
      Long offset = committed.get(tp.partition());
      lane.assigned(tp.partition(), offset);
      if (offset == null) {
        fromBeginning.add(tp);
      } else {
        consumer.seek(tp, offset);
      }
    }
    if (!fromBeginning.isEmpty()) {
      consumer.seekToBeginning(fromBeginning);
    }
    LOG.info("{}: reading {} from the table's offsets {}", lane.table().name(), partitions, committed);
  }

  /** Advisory: lets lag monitors see progress. The tables' snapshots are what the sink resumes from. */
  private void commitGroupOffsets() {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (TopicPartition tp : consumer.assignment()) {
      offsets.put(tp, new OffsetAndMetadata(consumer.position(tp)));
    }
    if (!offsets.isEmpty()) {
      consumer.commitAsync(offsets, (committed, error) -> {
        if (error != null) {
          LOG.debug("advisory group offset commit failed: {}", error.toString());
        }
      });
    }
  }

  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      try {
        commitAll();
      } catch (RuntimeException e) {
        LOG.warn("could not commit before giving up partitions {}; another instance reads them again: {}", partitions,
            e.toString());
        lanes.values().forEach(TableLane::abandon);
      }
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      for (TableLane lane : lanes.values()) {
        seekFromTable(lane, partitions.stream().filter(tp -> tp.topic().equals(lane.topic())).toList());
      }
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      lanes.values().forEach(TableLane::abandon);
    }
  }
}
