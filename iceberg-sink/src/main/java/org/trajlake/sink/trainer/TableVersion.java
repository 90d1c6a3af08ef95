package org.trajlake.sink.trainer;

/**
 * The snapshot a trainer reads, and the tag it was chosen by: what a manifest records so the same
 * rows can be read again after the table has moved on.
 *
 * @param snapshotId the snapshot read
 * @param tag the tag that named it, or null when it was chosen by id or as the current snapshot
 */
public record TableVersion(long snapshotId, String tag) {}
