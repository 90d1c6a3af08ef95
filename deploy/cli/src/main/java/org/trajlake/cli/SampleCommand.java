package org.trajlake.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.apache.iceberg.Table;
import org.trajlake.sink.trainer.ExportManifest;
import org.trajlake.sink.trainer.Sampler;
import org.trajlake.sink.trainer.TrainingTables;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code trajlake sample}: a seeded sample of trajectories from one snapshot. */
@Command(name = "sample", mixinStandardHelpOptions = true,
    description = {"Write a seeded sample of N rows of one snapshot as JSON lines.",
        "The same seed and snapshot give the same sample in the same order however",
        "the files are laid out: each row's key is a hash of (seed, trajectory_id).",
        "  uniform  every row equally likely",
        "  reward   in proportion to the reward (Efraimidis-Spirakis); a null, zero",
        "           or negative reward counts as 0.001: such rows come last, not never"})
final class SampleCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  CatalogOptions catalog;

  @Mixin
  ReadOptions read;

  @Option(names = "-n", paramLabel = "N", required = true, description = "How many rows to draw.")
  int n;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "The seed. Default: 0.")
  long seed;

  @Option(names = "--strategy", paramLabel = "STRATEGY", defaultValue = "uniform",
      description = "uniform or reward. Default: uniform.")
  Sampler.Strategy strategy;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (TrainingTables tables = TrainingTables.open(catalog.settings())) {
      Table table = tables.trajectories();
      ExportManifest manifest = new Sampler(table, read.progress())
          .sample(read.resolve(table), new Sampler.Options(n, seed, strategy, read.where), read.out);
      out.println(ExportCommand.summary(manifest, "sampled rows"));
      out.println("manifest: " + ExportManifest.pathFor(read.out.toAbsolutePath()));
    }
    out.flush();
    return 0;
  }
}
