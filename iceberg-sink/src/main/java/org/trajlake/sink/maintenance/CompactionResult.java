package org.trajlake.sink.maintenance;

import java.time.Duration;

/**
 * What a compaction did.
 *
 * @param snapshotId the rewrite's snapshot, or null when there was nothing to do (or a dry run)
 * @param startingSnapshotId the snapshot it read from
 * @param rows live rows written into the new files
 */
public record CompactionResult(String table, Long snapshotId, Long startingSnapshotId, int partitions,
    int dataFilesRewritten, long bytesRewritten, int dataFilesAdded, long bytesAdded, int deleteFilesRemoved,
    int dataFilesKept, int deleteFilesKept, long rows, Duration elapsed) {

  public boolean committed() {
    return snapshotId != null;
  }
}
