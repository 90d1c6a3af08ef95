package org.trajlake.recall.indexer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.trajlake.recall.index.IndexedTrajectory;

/**
 * The records of one poll and how far each has got. A record is done once its documents are in
 * the index (or older than what is there), or it is on the dead-letter topic, or it needed nothing.
 * Invariant: an offset is committable only when every record before it on its partition is done,
 * so a commit never skips a record that is still being retried.
 */
final class PendingBatch {
  enum Stage {
    /** Not decoded yet (a registry outage can hold a record here). */
    DECODE,
    /** Decoded; its documents are to be written. */
    WRITE,
    /** To go to the dead-letter topic with {@link Entry#reason}. */
    DEAD_LETTER,
    DONE
  }

  /** One record and its progress. */
  static final class Entry {
    final ConsumerRecord<byte[], byte[]> record;
    Stage stage = Stage.DECODE;
    IndexedTrajectory trajectory;
    String reason;
    String detail;

    Entry(ConsumerRecord<byte[], byte[]> record) {
      this.record = record;
    }

    void write(IndexedTrajectory documents) {
      this.trajectory = documents;
      this.stage = Stage.WRITE;
    }

    void deadLetter(String reason, String detail) {
      this.reason = reason;
      this.detail = detail;
      this.trajectory = null;
      this.stage = Stage.DEAD_LETTER;
    }

    void done() {
      this.trajectory = null;
      this.stage = Stage.DONE;
    }
  }

  private final Map<TopicPartition, List<Entry>> partitions = new LinkedHashMap<>();

  PendingBatch(ConsumerRecords<byte[], byte[]> records) {
    for (TopicPartition partition : records.partitions()) {
      List<Entry> entries = new ArrayList<>();
      records.records(partition).forEach(record -> entries.add(new Entry(record)));
      partitions.put(partition, entries);
    }
  }

  /** Every record at one of {@code stages}, partition by partition in offset order. */
  List<Entry> at(Stage... stages) {
    Set<Stage> wanted = EnumSet.copyOf(Arrays.asList(stages));
    List<Entry> found = new ArrayList<>();
    partitions.values().forEach(entries -> entries.stream().filter(e -> wanted.contains(e.stage)).forEach(found::add));
    return found;
  }

  int size() {
    return partitions.values().stream().mapToInt(List::size).sum();
  }

  boolean complete() {
    return partitions.values().stream().allMatch(entries -> entries.stream().allMatch(e -> e.stage == Stage.DONE));
  }

  /** The offsets to commit: on each partition, past the done records before the first that is not. */
  Map<TopicPartition, OffsetAndMetadata> committable() {
    return committable(partitions.keySet());
  }

  /** {@link #committable()} for {@code only} these partitions. */
  Map<TopicPartition, OffsetAndMetadata> committable(Collection<TopicPartition> only) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    partitions.forEach((partition, entries) -> {
      if (!only.contains(partition)) {
        return;
      }
      long next = -1;
      for (Entry entry : entries) {
        if (entry.stage != Stage.DONE) {
          break;
        }
        next = entry.record.offset() + 1;
      }
      if (next >= 0) {
        offsets.put(partition, new OffsetAndMetadata(next));
      }
    });
    return offsets;
  }

  /** Forgets the records of partitions this instance no longer owns: their next owner reads them again. */
  void drop(Collection<TopicPartition> gone) {
    gone.forEach(partitions::remove);
  }
}
