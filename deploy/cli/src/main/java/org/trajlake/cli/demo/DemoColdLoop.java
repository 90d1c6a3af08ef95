package org.trajlake.cli.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.trajlake.sink.CatalogSettings;
import org.trajlake.sink.trainer.ExportFormat;
import org.trajlake.sink.trainer.ExportManifest;
import org.trajlake.sink.trainer.Exporter;
import org.trajlake.sink.trainer.ReadProgress;
import org.trajlake.sink.trainer.SnapshotReader;
import org.trajlake.sink.trainer.Snapshots;
import org.trajlake.sink.trainer.TableVersion;
import org.trajlake.sink.trainer.TrainingTables;

/** The cold loop as a trainer sees it: the snapshot that holds the fleet's rewarded trajectories, and an export. */
final class DemoColdLoop implements AutoCloseable {
  /** What one snapshot holds of this run's trajectories. */
  record SnapshotStats(long snapshotId, long totalRows, long runRows, long labeled, Map<Integer, Long> rewardBuckets) {}

  private final TrainingTables tables;

  DemoColdLoop(CatalogSettings catalog) {
    this.tables = TrainingTables.open(catalog);
  }

  /** Waits until the current snapshot has every trajectory of {@code ids} labeled; null after {@code timeout}. */
  SnapshotStats awaitLabeled(Set<String> ids, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    SnapshotStats stats = null;
    while (Instant.now().isBefore(deadline)) {
      if (tables.exists("trajectories")) {
        Table table = tables.trajectories();
        Snapshot current = table.currentSnapshot();
        if (current != null) {
          stats = stats(table, current.snapshotId(), ids);
          if (stats.labeled() == ids.size()) {
            return stats;
          }
        }
      }
      DemoRecall.pause(500);
    }
    return null;
  }

  void tag(String name, long snapshotId) {
    new Snapshots(tables.trajectories()).tag(name, snapshotId, true);
  }

  ExportManifest exportDpo(long snapshotId, Path out) {
    return new Exporter(tables.trajectories(), ReadProgress.NONE)
        .export(new TableVersion(snapshotId, null), Exporter.Options.of(ExportFormat.DPO), out);
  }

  private static SnapshotStats stats(Table table, long snapshotId, Set<String> ids) {
    long total = 0;
    long run = 0;
    long labeled = 0;
    Map<Integer, Long> buckets = new TreeMap<>();
    try (CloseableIterable<Record> rows = new SnapshotReader(table, new TableVersion(snapshotId, null), "")
        .rows("trajectory_id", "reward", "label_status")) {
      for (Record row : rows) {
        total++;
        if (!ids.contains((String) row.getField("trajectory_id"))) {
          continue;
        }
        run++;
        if ("LABELED".equals(String.valueOf(row.getField("label_status")))) {
          labeled++;
        }
        Object reward = row.getField("reward");
        if (reward instanceof Double value) {
          buckets.merge((int) Math.min(4, Math.max(0, Math.floor(value * 5))), 1L, Long::sum);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new SnapshotStats(snapshotId, total, run, labeled, buckets);
  }

  @Override
  public void close() {
    tables.close();
  }
}
