package org.trajlake.sink.maintenance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileContent;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.ManifestReader;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.CloseableIterable;

/**
 * Which data files a compaction rewrites, partition by partition, and which delete files it can then
 * drop, decided from one snapshot (the compaction's starting snapshot).
 *
 * <p>A delete file can go once no data file it applies to survives. An equality delete applies to data
 * files of a lower data sequence number, a position delete to those of a lower or equal one; the
 * rewritten files keep the starting snapshot's sequence number, which is at least every delete's here.
 * So a delete file whose sequence number is at most (equality) or below (position) the lowest sequence
 * number of the data files left alone applies to nothing after the rewrite, and is removed with it.
 * Deletes committed after the starting snapshot have higher numbers and still apply to the new files.
 */
public final class CompactionPlan {
  /** The files of one partition to rewrite together. */
  public record Group(String partition, List<FileScanTask> tasks) {
    public long bytes() {
      return tasks.stream().mapToLong(t -> t.file().fileSizeInBytes()).sum();
    }
  }

  private final Snapshot start;
  private final List<Group> groups;
  private final List<DeleteFile> removableDeletes;
  private final int dataFilesKept;
  private final int deleteFilesKept;

  private CompactionPlan(Snapshot start, List<Group> groups, List<DeleteFile> removableDeletes, int dataFilesKept,
      int deleteFilesKept) {
    this.start = start;
    this.groups = groups;
    this.removableDeletes = removableDeletes;
    this.dataFilesKept = dataFilesKept;
    this.deleteFilesKept = deleteFilesKept;
  }

  /** Plans a compaction of {@code table}'s current snapshot (refreshed first); empty when it has none. */
  public static CompactionPlan of(Table table, CompactionOptions options) {
    table.refresh();
    Snapshot start = table.currentSnapshot();
    if (start == null) {
      return new CompactionPlan(null, List.of(), List.of(), 0, 0);
    }
    Map<String, List<FileScanTask>> byPartition = new TreeMap<>();
    try (CloseableIterable<FileScanTask> tasks = table.newScan().useSnapshot(start.snapshotId()).planFiles()) {
      for (FileScanTask task : tasks) {
        PartitionSpec spec = table.specs().get(task.file().specId());
        String partition = task.file().specId() + ":" + spec.partitionToPath(task.file().partition());
        byPartition.computeIfAbsent(partition, p -> new ArrayList<>()).add(task);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("planning the files of " + table.name() + " failed", e);
    }
    int currentSpec = table.spec().specId();
    List<Group> groups = new ArrayList<>();
    long lowestKeptSequence = Long.MAX_VALUE;
    int kept = 0;
    for (Map.Entry<String, List<FileScanTask>> partition : byPartition.entrySet()) {
      List<FileScanTask> picked = new ArrayList<>();
      List<FileScanTask> left = new ArrayList<>();
      for (FileScanTask task : partition.getValue()) {
        (picked(task, options, currentSpec) ? picked : left).add(task);
      }
      if (!worthRewriting(picked, options, currentSpec)) {
        left.addAll(picked);
        picked.clear();
      }
      for (FileScanTask task : left) {
        kept++;
        lowestKeptSequence = Math.min(lowestKeptSequence, task.file().dataSequenceNumber());
      }
      if (!picked.isEmpty()) {
        groups.add(new Group(partition.getKey(), List.copyOf(picked)));
      }
    }
    List<DeleteFile> removable = new ArrayList<>();
    List<DeleteFile> all = liveDeleteFiles(table, start);
    for (DeleteFile delete : all) {
      long sequence = delete.dataSequenceNumber();
      boolean appliesToNothingKept = delete.content() == FileContent.EQUALITY_DELETES
          ? sequence <= lowestKeptSequence : sequence < lowestKeptSequence;
      if (appliesToNothingKept) {
        removable.add(delete);
      }
    }
    return new CompactionPlan(start, List.copyOf(groups), List.copyOf(removable), kept, all.size() - removable.size());
  }

  /** The snapshot the plan was made from, or null for a table without snapshots. */
  public Snapshot start() {
    return start;
  }

  public List<Group> groups() {
    return groups;
  }

  public List<DeleteFile> removableDeletes() {
    return removableDeletes;
  }

  /** Whether there is nothing to do. */
  public boolean isEmpty() {
    return groups.isEmpty() && removableDeletes.isEmpty();
  }

  public int dataFilesToRewrite() {
    return groups.stream().mapToInt(g -> g.tasks().size()).sum();
  }

  public long bytesToRewrite() {
    return groups.stream().mapToLong(Group::bytes).sum();
  }

  public int dataFilesKept() {
    return dataFilesKept;
  }

  public int deleteFilesKept() {
    return deleteFilesKept;
  }

  private static boolean picked(FileScanTask task, CompactionOptions options, int currentSpec) {
    long size = task.file().fileSizeInBytes();
    return options.rewriteAll() || size < options.minFileSizeBytes() || size > options.maxFileSizeBytes()
        || task.deletes().size() >= options.deleteFileThreshold() || task.file().specId() != currentSpec;
  }

  private static boolean worthRewriting(List<FileScanTask> picked, CompactionOptions options, int currentSpec) {
    if (options.rewriteAll()) {
      return !picked.isEmpty(); // every file, so that every delete file can go
    }
    return picked.size() >= 2 || picked.stream().anyMatch(t -> !t.deletes().isEmpty()
        || t.file().fileSizeInBytes() > options.maxFileSizeBytes() || t.file().specId() != currentSpec);
  }

  private static List<DeleteFile> liveDeleteFiles(Table table, Snapshot snapshot) {
    List<DeleteFile> deletes = new ArrayList<>();
    for (ManifestFile manifest : snapshot.deleteManifests(table.io())) {
      try (ManifestReader<DeleteFile> reader = ManifestFiles.readDeleteManifest(manifest, table.io(), table.specs())) {
        for (DeleteFile delete : reader) {
          deletes.add(delete.copy());
        }
      } catch (IOException e) {
        throw new UncheckedIOException("reading delete manifest " + manifest.path() + " failed", e);
      }
    }
    return deletes;
  }
}
