package org.trajlake.sink.commit;

/**
 * Sees the moments of a commit that matter for exactly-once: the batch's files are written (not yet
 * visible), the table's offsets are checked (another instance may commit right after), and the
 * snapshot is committed. The crash tests stop the JVM at these moments; a race test commits there.
 */
public interface CommitObserver {
  CommitObserver NONE = new CommitObserver() {};

  default void filesWritten(String table) {}

  default void offsetsChecked(String table) {}

  default void committed(String table, long snapshotId) {}
}
