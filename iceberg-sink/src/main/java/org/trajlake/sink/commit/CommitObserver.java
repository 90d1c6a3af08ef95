package org.trajlake.sink.commit;

/**
 * Sees the two moments of a commit that matter for exactly-once: the batch's files are written (not
 * yet visible), and the snapshot is committed. The crash tests stop the JVM at these moments.
 */
public interface CommitObserver {
  CommitObserver NONE = new CommitObserver() {};

  default void filesWritten(String table) {}

  default void committed(String table, long snapshotId) {}
}
