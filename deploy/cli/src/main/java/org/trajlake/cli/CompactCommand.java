package org.trajlake.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.iceberg.Table;
import org.trajlake.sink.maintenance.CompactionOptions;
import org.trajlake.sink.maintenance.CompactionPlan;
import org.trajlake.sink.maintenance.CompactionResult;
import org.trajlake.sink.maintenance.Compactor;
import org.trajlake.sink.table.TableNames;
import org.trajlake.sink.trainer.TrainingTables;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code trajlake compact}: rewrite small files and fold the sink's deletes, beside a running sink. */
@Command(name = "compact", mixinStandardHelpOptions = true,
    description = "Rewrite the training tables' small files into files of the target size, in one "
        + "'replace' snapshot per table, and drop the delete files of the sink's upserts that then "
        + "apply to nothing. Safe while the sink runs: the new files keep the starting snapshot's "
        + "sequence number, so upserts committed meanwhile still replace their rows. Old snapshots "
        + "keep their files until `trajlake snapshots expire` removes them.")
final class CompactCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  CatalogOptions catalog;

  @Option(names = "--table", paramLabel = "TABLE", defaultValue = "all",
      description = "trajectories, outcomes or all. Default: all.")
  String table;

  @Option(names = "--target-file-size", paramLabel = "SIZE", converter = Units.Size.class,
      description = "Output file size, e.g. 128MiB. Default: the table's write.target-file-size-bytes.")
  Long targetFileSize;

  @Option(names = "--min-file-size", paramLabel = "SIZE", converter = Units.Size.class,
      description = "Files below this are small. Default: 75%% of the target.")
  Long minFileSize;

  @Option(names = "--delete-file-threshold", paramLabel = "N",
      description = "Rewrite a data file once N delete files apply to it. Default: 1.")
  Integer deleteFileThreshold;

  @Option(names = "--all", description = "Rewrite every data file, whatever its size, so every delete file goes.")
  boolean all;

  @Option(names = "--dry-run", description = "Print what would be rewritten; write nothing.")
  boolean dryRun;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (TrainingTables tables = TrainingTables.open(catalog.settings())) {
      for (String name : tables(table, tables)) {
        Table target = tables.table(name);
        Compactor compactor = new Compactor(target, options(target));
        if (dryRun) {
          print(out, target.name(), compactor.plan());
        } else {
          print(out, compactor.compact());
        }
        out.flush();
      }
    }
    return 0;
  }

  /** The tables {@code --table} names: with {@code all}, those that exist (the outcomes table may not yet). */
  static List<String> tables(String option, TrainingTables tables) {
    if (!"all".equals(option)) {
      return List.of(option);
    }
    List<String> existing = Stream.of(TableNames.TRAJECTORIES, TableNames.OUTCOMES).filter(tables::exists).toList();
    if (existing.isEmpty()) {
      throw new IllegalStateException("no training tables in the catalog yet: run `trajlake run sink` first");
    }
    return existing;
  }

  private CompactionOptions options(Table target) {
    CompactionOptions options = targetFileSize == null ? CompactionOptions.defaults(target)
        : CompactionOptions.forTarget(targetFileSize);
    if (minFileSize != null) {
      options = options.withMinFileSize(minFileSize);
    }
    if (deleteFileThreshold != null) {
      options = options.withDeleteFileThreshold(deleteFileThreshold);
    }
    return options.withRewriteAll(all);
  }

  private static void print(PrintWriter out, String table, CompactionPlan plan) {
    if (plan.isEmpty()) {
      out.printf("%s: nothing to compact%n", table);
      return;
    }
    out.printf("%s: would rewrite %d data files (%s) in %d partitions and drop %d delete files; "
            + "%d data files and %d delete files stay%n", table, plan.dataFilesToRewrite(), mib(plan.bytesToRewrite()),
        plan.groups().size(), plan.removableDeletes().size(), plan.dataFilesKept(), plan.deleteFilesKept());
  }

  private static void print(PrintWriter out, CompactionResult r) {
    if (!r.committed()) {
      out.printf("%s: nothing to compact%n", r.table());
      return;
    }
    out.printf("%s: snapshot %d: %d data files (%s) rewritten into %d (%s), %d delete files dropped, %,d rows, "
            + "%d partitions, %.1f s (from snapshot %d)%n", r.table(), r.snapshotId(), r.dataFilesRewritten(),
        mib(r.bytesRewritten()), r.dataFilesAdded(), mib(r.bytesAdded()), r.deleteFilesRemoved(), r.rows(),
        r.partitions(), r.elapsed().toMillis() / 1000.0, r.startingSnapshotId());
  }

  private static String mib(long bytes) {
    return String.format("%.1f MiB", bytes / 1048576.0);
  }
}
