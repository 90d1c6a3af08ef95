package org.trajlake.sink.maintenance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.RewriteFiles;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.apache.iceberg.io.CloseableIterable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trajlake.sink.table.PartitionedRowWriter;

/**
 * {@code trajlake compact}: rewrites a table's small files (and those its sink upserts have deleted rows
 * from) into files of the target size, folding the delete files that then apply to nothing, in one
 * {@code replace} snapshot. It runs safely beside a live sink:
 *
 * <ul>
 *   <li>The new files keep the starting snapshot's data sequence number, so equality deletes the sink
 *       commits meanwhile still apply to them; Iceberg then needs no conflict check against those deletes.
 *   <li>The commit is validated from the starting snapshot: if another compaction replaced the same files,
 *       or a position delete landed on them, it fails cleanly and removes the files it wrote.
 *   <li>Tables are created with Iceberg's own commit retries off (see the sink's protocol), so a commit that
 *       loses a race with the sink is retried here, re-validated against the new table state each time.
 *   <li>The snapshot carries no sink offsets: the sink steps over snapshots it did not make when it finds
 *       where to resume.
 * </ul>
 */
public final class Compactor {
  /** Summary key of a compaction's snapshot: a fresh id, to find a commit whose outcome was unknown. */
  public static final String COMPACTION_ID = "trajlake.compact.id";
  public static final String STARTING_SNAPSHOT = "trajlake.compact.starting-snapshot-id";

  private static final Logger LOG = LoggerFactory.getLogger(Compactor.class);
  private static final int COMMIT_ATTEMPTS = 20;

  private final Table table;
  private final CompactionOptions options;
  private final Runnable beforeCommit;

  public Compactor(Table table, CompactionOptions options) {
    this(table, options, () -> {});
  }

  /** @param beforeCommit runs after the files are written, before the first commit attempt (tests race it) */
  Compactor(Table table, CompactionOptions options, Runnable beforeCommit) {
    this.table = table;
    this.options = options;
    this.beforeCommit = beforeCommit;
  }

  /** What {@link #compact()} would rewrite now, without writing anything. */
  public CompactionPlan plan() {
    return CompactionPlan.of(table, options);
  }

  /** Plans, rewrites and commits; a result without snapshot id when there was nothing to do. */
  public CompactionResult compact() {
    long started = System.nanoTime();
    CompactionPlan plan = plan();
    if (plan.isEmpty()) {
      return result(plan, null, List.of(), 0, started);
    }
    String compactionId = UUID.randomUUID().toString();
    List<DataFile> added = new ArrayList<>();
    long rows;
    try {
      rows = rewrite(plan, compactionId, added);
      beforeCommit.run();
      long snapshotId = commit(plan, compactionId, added);
      return result(plan, snapshotId, added, rows, started);
    } catch (CommitStateUnknownException e) {
      throw e; // the files may be in a snapshot after all: never delete them here
    } catch (RuntimeException e) {
      added.forEach(file -> deleteQuietly(file.location()));
      throw e;
    }
  }

  private long rewrite(CompactionPlan plan, String compactionId, List<DataFile> added) {
    long rows = 0;
    int group = 0;
    for (CompactionPlan.Group partition : plan.groups()) {
      try (PartitionedRowWriter writer = new PartitionedRowWriter(table, compactionId + "-" + group++,
          options.targetFileSizeBytes())) {
        for (FileScanTask task : partition.tasks()) {
          try (CloseableIterable<Record> live = TaskRows.open(table, task)) {
            for (Record row : live) {
              writer.write(row);
              rows++;
            }
          } catch (IOException e) {
            throw new UncheckedIOException("reading " + task.file().location() + " failed", e);
          }
        }
        added.addAll(writer.dataFiles());
      }
    }
    return rows;
  }

  private long commit(CompactionPlan plan, String compactionId, List<DataFile> added) {
    Snapshot start = plan.start();
    for (int attempt = 1; ; attempt++) {
      RewriteFiles rewrite = table.newRewrite()
          .validateFromSnapshot(start.snapshotId())
          .dataSequenceNumber(start.sequenceNumber());
      plan.groups().forEach(g -> g.tasks().forEach(t -> rewrite.deleteFile(t.file())));
      plan.removableDeletes().forEach(rewrite::deleteFile);
      added.forEach(rewrite::addFile);
      rewrite.set(COMPACTION_ID, compactionId);
      rewrite.set(STARTING_SNAPSHOT, Long.toString(start.snapshotId()));
      try {
        rewrite.commit();
      } catch (CommitFailedException e) {
        if (attempt >= COMMIT_ATTEMPTS) {
          throw new IllegalStateException(table.name() + ": compaction lost " + attempt
              + " commit races in a row (is something committing without pause?)", e);
        }
        LOG.info("{}: another commit landed first (attempt {}); trying again on top of it", table.name(), attempt);
        pause(attempt);
        continue;
      } catch (CommitStateUnknownException e) {
        Optional<Snapshot> landed = find(compactionId);
        if (landed.isPresent()) {
          return landed.get().snapshotId();
        }
        if (attempt >= COMMIT_ATTEMPTS) {
          throw e;
        }
        pause(attempt);
        continue;
      }
      return find(compactionId).orElseThrow(() -> new IllegalStateException(
          table.name() + ": compaction " + compactionId + " committed but is not in the history")).snapshotId();
    }
  }

  private Optional<Snapshot> find(String compactionId) {
    table.refresh();
    for (Snapshot snapshot = table.currentSnapshot(); snapshot != null;
        snapshot = snapshot.parentId() == null ? null : table.snapshot(snapshot.parentId())) {
      if (compactionId.equals(snapshot.summary().get(COMPACTION_ID))) {
        return Optional.of(snapshot);
      }
    }
    return Optional.empty();
  }

  private CompactionResult result(CompactionPlan plan, Long snapshotId, List<DataFile> added, long rows, long started) {
    return new CompactionResult(table.name(), snapshotId, plan.start() == null ? null : plan.start().snapshotId(),
        plan.groups().size(), plan.dataFilesToRewrite(), plan.bytesToRewrite(), added.size(),
        added.stream().mapToLong(DataFile::fileSizeInBytes).sum(), plan.removableDeletes().size(),
        plan.dataFilesKept(), plan.deleteFilesKept(), rows, Duration.ofNanos(System.nanoTime() - started));
  }

  private static void pause(int attempt) {
    try {
      Thread.sleep(Math.min(2_000, 50L << Math.min(attempt, 6)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while retrying a compaction commit", e);
    }
  }

  private void deleteQuietly(String location) {
    try {
      table.io().deleteFile(location);
    } catch (RuntimeException e) {
      LOG.debug("could not delete unreferenced file {}: {}", location, e.toString());
    }
  }
}
