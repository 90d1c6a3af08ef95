package org.trajlake.sink.maintenance;

import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.util.PropertyUtil;

/**
 * What a compaction rewrites. A data file is picked when it is smaller than {@code minFileSizeBytes},
 * larger than {@code maxFileSizeBytes}, has at least {@code deleteFileThreshold} delete files applying
 * to it, or is in an older partition spec; with {@code rewriteAll}, every data file is. A partition is
 * rewritten only when that gains something: two or more picked files, or one with deletes to fold,
 * oversized, or in an old spec (with {@code rewriteAll}: any file, so every delete file can go).
 *
 * @param targetFileSizeBytes size at which output files are rolled
 * @param minFileSizeBytes files below this are small (Spark's rewrite uses 75% of the target too)
 * @param maxFileSizeBytes files above this are split (180% of the target by default, as Spark's)
 * @param deleteFileThreshold delete files applying to a data file that make it worth rewriting
 * @param rewriteAll rewrite every data file: folds every delete file, whatever the sizes
 */
public record CompactionOptions(long targetFileSizeBytes, long minFileSizeBytes, long maxFileSizeBytes,
    int deleteFileThreshold, boolean rewriteAll) {

  public CompactionOptions {
    if (targetFileSizeBytes <= 0) {
      throw new IllegalArgumentException("target file size must be positive, got " + targetFileSizeBytes);
    }
    if (minFileSizeBytes < 0 || minFileSizeBytes > targetFileSizeBytes) {
      throw new IllegalArgumentException("min file size must be between 0 and the target file size ("
          + targetFileSizeBytes + "), got " + minFileSizeBytes);
    }
    if (maxFileSizeBytes < targetFileSizeBytes) {
      throw new IllegalArgumentException("max file size must be at least the target file size ("
          + targetFileSizeBytes + "), got " + maxFileSizeBytes);
    }
    if (deleteFileThreshold < 1) {
      throw new IllegalArgumentException("delete file threshold must be at least 1, got " + deleteFileThreshold);
    }
  }

  /** The defaults for {@code table}: its {@code write.target-file-size-bytes}, 75% / 180% of it, one delete file. */
  public static CompactionOptions defaults(Table table) {
    return forTarget(PropertyUtil.propertyAsLong(table.properties(), TableProperties.WRITE_TARGET_FILE_SIZE_BYTES,
        TableProperties.WRITE_TARGET_FILE_SIZE_BYTES_DEFAULT));
  }

  /** Defaults around a given target size. */
  public static CompactionOptions forTarget(long targetFileSizeBytes) {
    return new CompactionOptions(targetFileSizeBytes, targetFileSizeBytes * 3 / 4, targetFileSizeBytes * 9 / 5, 1, false);
  }

  public CompactionOptions withRewriteAll(boolean all) {
    return new CompactionOptions(targetFileSizeBytes, minFileSizeBytes, maxFileSizeBytes, deleteFileThreshold, all);
  }

  public CompactionOptions withMinFileSize(long bytes) {
    return new CompactionOptions(targetFileSizeBytes, bytes, maxFileSizeBytes, deleteFileThreshold, rewriteAll);
  }

  public CompactionOptions withDeleteFileThreshold(int threshold) {
    return new CompactionOptions(targetFileSizeBytes, minFileSizeBytes, maxFileSizeBytes, threshold, rewriteAll);
  }
}
