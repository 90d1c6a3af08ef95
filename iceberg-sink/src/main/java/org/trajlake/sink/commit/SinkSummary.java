package org.trajlake.sink.commit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;

/**
 * What the sink writes into the summary of every snapshot it commits, and how it finds its place
 * again. The summary of a sink commit holds, for the topic the table is written from:
 *
 * <ul>
 *   <li>{@value #OFFSETS}: the next offset to read of every partition the sink has ever committed
 *       (JSON object, partition to offset): the whole map, not only this commit's partitions, so the
 *       latest sink snapshot alone says where to resume;
 *   <li>{@value #OFFSET_RANGES}: the offsets this commit covers (partition to [from, to));
 *   <li>{@value #COMMIT_ID}: a fresh UUID per commit; {@value #SCHEMA_IDS}: the registry ids of the
 *       writer schemas of its records; counts of records read, rows written, rows replaced, records
 *       filtered out and dead-lettered.
 * </ul>
 *
 * Snapshots made by other writers (compaction's {@code replace} snapshots, anyone's) carry none of these
 * keys and are stepped over when walking back from the current snapshot. Copying the offsets forward
 * into them instead would race with the sink: a sink commit landing between reading the offsets and the
 * rewrite's commit would leave stale offsets on top. Expiry through {@code trajlake snapshots expire}
 * never removes the last sink snapshot, so the walk always ends on one.
 */
public final class SinkSummary {
  public static final String TOPIC = "trajlake.sink.topic";
  public static final String OFFSETS = "trajlake.sink.offsets";
  public static final String OFFSET_RANGES = "trajlake.sink.offset-ranges";
  public static final String COMMIT_ID = "trajlake.sink.commit-id";
  public static final String SCHEMA_IDS = "trajlake.sink.schema-ids";
  public static final String RECORDS = "trajlake.sink.records";
  public static final String ROWS_WRITTEN = "trajlake.sink.rows-written";
  public static final String ROWS_REPLACED = "trajlake.sink.rows-replaced";
  public static final String FILTERED = "trajlake.sink.filtered";
  public static final String DEAD_LETTERED = "trajlake.sink.dead-lettered";

  private static final ObjectMapper JSON = new ObjectMapper();

  private SinkSummary() {}

  /** The offsets of the latest snapshot of {@code table} written from {@code topic}, or empty if none. */
  public static Optional<SortedMap<Integer, Long>> committedOffsets(Table table, String topic) {
    return latestSinkSnapshot(table, topic).map(s -> offsets(s.summary().get(OFFSETS)));
  }

  /** The latest snapshot in the current branch's history that the sink committed from {@code topic}. */
  public static Optional<Snapshot> latestSinkSnapshot(Table table, String topic) {
    Snapshot snapshot = table.currentSnapshot();
    while (snapshot != null) {
      Map<String, String> summary = snapshot.summary();
      if (topic.equals(summary.get(TOPIC)) && summary.containsKey(OFFSETS)) {
        return Optional.of(snapshot);
      }
      snapshot = snapshot.parentId() == null ? null : table.snapshot(snapshot.parentId());
    }
    return Optional.empty();
  }

  /** The latest snapshot in the current branch's history that the sink committed, from whichever topic. */
  public static Optional<Snapshot> latestSinkSnapshot(Table table) {
    Snapshot snapshot = table.currentSnapshot();
    while (snapshot != null) {
      if (snapshot.summary().containsKey(OFFSETS)) {
        return Optional.of(snapshot);
      }
      snapshot = snapshot.parentId() == null ? null : table.snapshot(snapshot.parentId());
    }
    return Optional.empty();
  }

  /** Whether the table has snapshots but none from the sink for {@code topic} (history expired or another writer). */
  public static boolean hasForeignHistoryOnly(Table table, String topic) {
    return table.currentSnapshot() != null && latestSinkSnapshot(table, topic).isEmpty();
  }

  public static String offsetsJson(SortedMap<Integer, Long> offsets) {
    return write(offsets);
  }

  public static String rangesJson(SortedMap<Integer, long[]> ranges) {
    SortedMap<Integer, List<Long>> out = new TreeMap<>();
    ranges.forEach((p, r) -> out.put(p, List.of(r[0], r[1])));
    return write(out);
  }

  public static String schemaIdsJson(SortedSet<Integer> ids) {
    return write(ids);
  }

  /** Partition to next offset, from {@value #OFFSETS}. */
  public static SortedMap<Integer, Long> offsets(String json) {
    return read(json, new TypeReference<TreeMap<Integer, Long>>() {});
  }

  /** Partition to [from, to), from {@value #OFFSET_RANGES}; empty when absent. */
  public static SortedMap<Integer, List<Long>> ranges(String json) {
    return json == null ? new TreeMap<>() : read(json, new TypeReference<TreeMap<Integer, List<Long>>>() {});
  }

  /** Schema ids from {@value #SCHEMA_IDS}; empty when absent. */
  public static SortedSet<Integer> schemaIds(String json) {
    return json == null ? new TreeSet<>() : read(json, new TypeReference<TreeSet<Integer>>() {});
  }

  private static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static <T> T read(String json, TypeReference<T> type) {
    try {
      return JSON.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable sink summary value: " + json, e);
    }
  }
}
