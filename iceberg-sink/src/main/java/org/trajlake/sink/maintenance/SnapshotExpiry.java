package org.trajlake.sink.maintenance;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.iceberg.ExpireSnapshots;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.trajlake.sink.commit.SinkSummary;

/**
 * {@code trajlake snapshots expire}: drops snapshots older than a cut-off, and the files only they
 * reference, with two things always kept:
 *
 * <ul>
 *   <li>tagged snapshots (and branches): a tag is how a trainer pins a version, so Iceberg's expiry keeps
 *       every snapshot a ref points at, and the files it reads;
 *   <li>the sink's last snapshot and everything after it: the cut-off is moved back to that snapshot's
 *       time, so the sink can always find the offsets it resumes from by walking back from the current
 *       snapshot over compactions.
 * </ul>
 */
public final class SnapshotExpiry {
  /**
   * What an expiry did (or would do, for a dry run).
   *
   * @param cutoff snapshots committed before this were expired (unless kept by a ref or retain-last)
   * @param sinkSnapshotId the last sink snapshot, kept whatever the age; null when the table has none
   */
  public record Result(String table, Instant cutoff, Long sinkSnapshotId, List<Long> expired, int remaining,
      boolean dryRun) {}

  private static final int COMMIT_ATTEMPTS = 20;

  private final Table table;

  public SnapshotExpiry(Table table) {
    this.table = table;
  }

  /**
   * @param olderThan expire snapshots committed before this instant
   * @param retainLast keep at least this many of the newest snapshots of the current history (at least 1)
   */
  public Result expire(Instant olderThan, int retainLast, boolean dryRun) {
    if (retainLast < 1) {
      throw new IllegalArgumentException("retain-last must be at least 1, got " + retainLast);
    }
    for (int attempt = 1; ; attempt++) {
      table.refresh();
      Optional<Snapshot> sink = SinkSummary.latestSinkSnapshot(table);
      long cutoff = olderThan.toEpochMilli();
      if (sink.isPresent()) {
        cutoff = Math.min(cutoff, sink.get().timestampMillis());
      }
      ExpireSnapshots expire = table.expireSnapshots().expireOlderThan(cutoff).retainLast(retainLast)
          .cleanExpiredFiles(true);
      Long sinkId = sink.map(Snapshot::snapshotId).orElse(null);
      if (dryRun) {
        List<Long> expired = expire.apply().stream().map(Snapshot::snapshotId).sorted().toList();
        return new Result(table.name(), Instant.ofEpochMilli(cutoff), sinkId, expired, count() - expired.size(), true);
      }
      Set<Long> before = ids();
      try {
        expire.commit();
      } catch (CommitFailedException e) {
        if (attempt >= COMMIT_ATTEMPTS) {
          throw new IllegalStateException(table.name() + ": expiry lost " + attempt + " commit races in a row", e);
        }
        continue; // a sink commit landed first: plan again on the new state
      }
      table.refresh();
      Set<Long> after = ids();
      List<Long> expired = new ArrayList<>(before.stream().filter(id -> !after.contains(id)).sorted().toList());
      return new Result(table.name(), Instant.ofEpochMilli(cutoff), sinkId, expired, after.size(), false);
    }
  }

  private Set<Long> ids() {
    List<Snapshot> all = new ArrayList<>();
    table.snapshots().forEach(all::add);
    return all.stream().map(Snapshot::snapshotId).collect(Collectors.toSet());
  }

  private int count() {
    return ids().size();
  }
}
