package org.trajlake.sink.trainer;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.SnapshotSummary;
import org.apache.iceberg.Table;
import org.trajlake.sink.commit.SinkSummary;

/**
 * The versions of a training table: every snapshot is a version a trainer can read again by id, and a
 * tag gives one a name that survives snapshot expiry (expiry keeps tagged snapshots).
 */
public final class Snapshots {
  private final Table table;

  public Snapshots(Table table) {
    this.table = table;
  }

  /** Every snapshot the table's metadata still holds, oldest first. */
  public List<SnapshotInfo> list() {
    Map<Long, List<String>> tags = new TreeMap<>();
    table.refs().forEach((name, ref) -> {
      if (ref.isTag()) {
        tags.computeIfAbsent(ref.snapshotId(), id -> new ArrayList<>()).add(name);
      }
    });
    tags.values().forEach(names -> names.sort(Comparator.naturalOrder()));
    Snapshot current = table.currentSnapshot();
    List<Snapshot> snapshots = new ArrayList<>();
    table.snapshots().forEach(snapshots::add);
    // Sequence numbers order commits even when two share a millisecond.
    snapshots.sort(Comparator.comparingLong(Snapshot::sequenceNumber).thenComparingLong(Snapshot::timestampMillis));
    List<SnapshotInfo> out = new ArrayList<>();
    for (Snapshot snapshot : snapshots) {
      Map<String, String> summary = snapshot.summary();
      out.add(new SnapshotInfo(snapshot.snapshotId(), snapshot.parentId(),
          Instant.ofEpochMilli(snapshot.timestampMillis()), snapshot.operation(),
          count(summary, SnapshotSummary.ADDED_RECORDS_PROP), count(summary, SnapshotSummary.TOTAL_RECORDS_PROP),
          SinkSummary.ranges(summary.get(SinkSummary.OFFSET_RANGES)),
          SinkSummary.schemaIds(summary.get(SinkSummary.SCHEMA_IDS)),
          List.copyOf(tags.getOrDefault(snapshot.snapshotId(), List.of())),
          current != null && current.snapshotId() == snapshot.snapshotId()));
    }
    return out;
  }

  /**
   * Points tag {@code name} at {@code snapshotId}.
   *
   * @param replace move the tag when it already exists (otherwise that is an error, so a tag a trainer
   *     relies on is never moved by accident)
   */
  public void tag(String name, long snapshotId, boolean replace) {
    requireSnapshot(snapshotId);
    SnapshotRef existing = table.refs().get(name);
    if (existing != null && existing.isBranch()) {
      throw new IllegalArgumentException("'" + name + "' is a branch of " + table.name() + ", not a tag: choose another name");
    }
    if (existing != null && !replace) {
      throw new IllegalArgumentException("tag '" + name + "' already points at snapshot " + existing.snapshotId()
          + " of " + table.name() + "; use --force to move it");
    }
    if (existing == null) {
      table.manageSnapshots().createTag(name, snapshotId).commit();
    } else {
      table.manageSnapshots().replaceTag(name, snapshotId).commit();
    }
  }

  /**
   * The version to read: the snapshot {@code snapshotId}, the snapshot tag {@code tag} points at, or the
   * current snapshot when both are null.
   */
  public TableVersion resolve(Long snapshotId, String tag) {
    if (snapshotId != null && tag != null) {
      throw new IllegalArgumentException("give a snapshot id or a tag, not both");
    }
    if (snapshotId != null) {
      requireSnapshot(snapshotId);
      return new TableVersion(snapshotId, null);
    }
    if (tag != null) {
      SnapshotRef ref = table.refs().get(tag);
      if (ref == null || !ref.isTag()) {
        List<String> tags = table.refs().entrySet().stream().filter(e -> e.getValue().isTag())
            .map(Map.Entry::getKey).sorted().toList();
        throw new IllegalArgumentException("no tag '" + tag + "' on " + table.name()
            + (tags.isEmpty() ? " (it has no tags)" : "; tags: " + String.join(", ", tags)));
      }
      return new TableVersion(ref.snapshotId(), tag);
    }
    Snapshot current = table.currentSnapshot();
    if (current == null) {
      throw new IllegalStateException(table.name() + " has no snapshots yet: run `trajlake run sink` first");
    }
    return new TableVersion(current.snapshotId(), null);
  }

  private void requireSnapshot(long snapshotId) {
    if (table.snapshot(snapshotId) == null) {
      throw new IllegalArgumentException("no snapshot " + snapshotId + " in " + table.name()
          + " (expired, or from another table); `trajlake snapshots list` shows the ones there are");
    }
  }

  private static long count(Map<String, String> summary, String key) {
    String value = summary.get(key);
    return value == null ? 0 : Long.parseLong(value);
  }
}
