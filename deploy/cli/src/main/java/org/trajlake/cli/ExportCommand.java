package org.trajlake.cli;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.iceberg.Table;
import org.trajlake.sink.trainer.ExportFormat;
import org.trajlake.sink.trainer.ExportManifest;
import org.trajlake.sink.trainer.Exporter;
import org.trajlake.sink.trainer.TableVersion;
import org.trajlake.sink.trainer.TrainingTables;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code trajlake export}: one snapshot of the trajectories table as training data. */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = {"Write one snapshot of the trajectories table as JSON lines for a trainer.",
        "  jsonl  every row as it is, steps and outcomes nested",
        "  sft    one chat conversation per trajectory: {\"messages\", \"trajectory_id\",",
        "         \"task_id\", \"reward\"}",
        "  dpo    preference pairs of one task's trajectories whose rewards differ",
        "         by --margin or more: {\"prompt\", \"chosen\", \"rejected\", \"task_id\", ...}",
        "FILE.manifest.json records snapshot, tag, filter, options, counts, sha256."})
final class ExportCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  CatalogOptions catalog;

  @Mixin
  ReadOptions read;

  @Option(names = "--format", paramLabel = "FORMAT", required = true, description = "jsonl, sft or dpo.")
  ExportFormat format;

  @Option(names = "--margin", paramLabel = "X", defaultValue = "0.1",
      description = "dpo: the least reward difference of a pair. Default: 0.1.")
  double margin;

  @Option(names = "--max-pairs-per-task", paramLabel = "N", defaultValue = "8",
      description = "dpo: the most pairs from one task. Default: 8.")
  int maxPairsPerTask;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (TrainingTables tables = TrainingTables.open(catalog.settings())) {
      Table table = tables.trajectories();
      TableVersion version = read.resolve(table);
      ExportManifest manifest = new Exporter(table, read.progress())
          .export(version, new Exporter.Options(format, read.where, margin, maxPairsPerTask), read.out);
      out.println(summary(manifest, format.label() + (format == ExportFormat.DPO ? " pairs" : " lines")));
      out.println("manifest: " + ExportManifest.pathFor(read.out.toAbsolutePath()));
    }
    out.flush();
    return 0;
  }

  /** One line saying what was written from where. */
  static String summary(ExportManifest manifest, String what) {
    String skipped = manifest.skipped() == null || manifest.skipped().isEmpty() ? ""
        : "; left out: " + manifest.skipped().entrySet().stream().map(ExportCommand::reason).collect(Collectors.joining(", "));
    return String.format("wrote %,d %s to %s from snapshot %d%s of %s (%,d rows matched)%s", manifest.recordsWritten(),
        what, manifest.output(), manifest.snapshotId(), manifest.tag() == null ? "" : " (tag " + manifest.tag() + ")",
        manifest.table(), manifest.rowsRead(), skipped);
  }

  private static String reason(Map.Entry<String, Long> entry) {
    return entry.getValue() + " " + entry.getKey().replace('_', ' ');
  }
}
