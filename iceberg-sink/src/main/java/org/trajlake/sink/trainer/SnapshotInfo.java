package org.trajlake.sink.trainer;

import java.time.Instant;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;

/**
 * One snapshot of a training table, with what the sink recorded about it.
 *
 * @param snapshotId the snapshot's id, what {@code --snapshot} takes
 * @param parentId the previous snapshot, or null for the first
 * @param committedAt when it was committed
 * @param operation Iceberg's operation: append, overwrite (an upsert's row delta), delete, replace
 * @param addedRecords rows added by the commit (Iceberg's {@code added-records}; 0 when absent)
 * @param totalRecords rows in data files at this snapshot, before deletes (Iceberg's {@code total-records})
 * @param offsetRanges the Kafka offsets this commit covers, partition to [from, to); empty for other writers
 * @param schemaIds the registry ids of the writer schemas of its records; empty for other writers
 * @param tags the tags pointing at this snapshot
 * @param current whether it is the table's current snapshot
 */
public record SnapshotInfo(long snapshotId, Long parentId, Instant committedAt, String operation, long addedRecords,
    long totalRecords, SortedMap<Integer, List<Long>> offsetRanges, SortedSet<Integer> schemaIds, List<String> tags,
    boolean current) {}
