package org.trajlake.sink.trainer;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;

/**
 * A seeded sample of n trajectories of one snapshot, written as JSON lines (the rows as a jsonl export
 * writes them) with a manifest. Every row gets a key from a hash of (seed, trajectory_id) (see SampleKeys);
 * the n best keys win, kept in a heap of n rows while the snapshot streams by, and are written best
 * first. The same seed and snapshot therefore give the same sample in the same order.
 */
public final class Sampler {
  /** How rows are drawn. */
  public enum Strategy {
    /** Every row equally likely. */
    UNIFORM,
    /** Rows drawn with probability proportional to their reward, clipped below at 0.001. */
    REWARD
  }

  /**
   * @param n how many rows to draw (fewer when fewer match)
   * @param seed the seed; another seed gives another sample
   * @param where a {@link RowFilter} text; null or blank for every row
   */
  public record Options(int n, long seed, Strategy strategy, String where) {
    public Options {
      if (n < 1) {
        throw new IllegalArgumentException("the sample size must be at least 1, not " + n);
      }
      if (strategy == null) {
        throw new IllegalArgumentException("a sample needs a strategy: uniform or reward");
      }
    }
  }

  private record Keyed(double key, String trajectoryId, Record row) {}

  private final Table table;
  private final ReadProgress progress;

  public Sampler(Table table, ReadProgress progress) {
    this.table = table;
    this.progress = progress;
  }

  /** Writes the sample of {@code version} to {@code out} and the manifest beside it, and returns the manifest. */
  public ExportManifest sample(TableVersion version, Options options, Path out) {
    SnapshotReader reader = new SnapshotReader(table, version, options.where());
    if (reader.schema().findField("trajectory_id") == null || reader.schema().findField("reward") == null) {
      throw new IllegalArgumentException("sampling needs the trajectories table, not " + table.name());
    }
    boolean uniform = options.strategy() == Strategy.UNIFORM;
    // Best first: the smallest uniform key, the largest weighted key; ties (equal keys) by id.
    Comparator<Keyed> best = (uniform ? Comparator.comparingDouble(Keyed::key)
        : Comparator.comparingDouble(Keyed::key).reversed()).thenComparing(Keyed::trajectoryId);
    PriorityQueue<Keyed> kept = new PriorityQueue<>(best.reversed());
    long rowsRead = reader.read("sample", progress, row -> {
      String id = (String) row.getField("trajectory_id");
      double key = SampleKeys.uniform(options.seed(), id);
      Keyed keyed = new Keyed(uniform ? key : SampleKeys.weighted(key, (Double) row.getField("reward")), id, row);
      if (kept.size() < options.n()) {
        kept.add(keyed);
      } else if (best.compare(keyed, kept.peek()) < 0) {
        kept.poll();
        kept.add(keyed);
      }
    });
    List<Keyed> sample = new ArrayList<>(kept);
    sample.sort(best);

    try (JsonLinesFile file = JsonLinesFile.create(out)) {
      sample.forEach(keyed -> file.writeRow(keyed.row()));
      String sha256 = file.commit();
      Map<String, Object> settings = new LinkedHashMap<>();
      settings.put("strategy", options.strategy().name().toLowerCase(Locale.ROOT));
      settings.put("n", options.n());
      settings.put("seed", options.seed());
      ExportManifest manifest = new ExportManifest(table.name(), version.snapshotId(), version.tag(),
          options.where() == null || options.where().isBlank() ? null : options.where(), ExportFormat.JSONL.label(),
          file.target().getFileName().toString(), rowsRead, file.lines(), null, Map.of(), sha256,
          Instant.now().toString(), settings);
      manifest.writeBeside(file.target());
      return manifest;
    }
  }
}
