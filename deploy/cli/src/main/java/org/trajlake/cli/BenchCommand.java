package org.trajlake.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.trajlake.cli.bench.BenchFigure;
import org.trajlake.cli.bench.BenchReport;
import org.trajlake.cli.bench.StreamsBenchmark;
import org.trajlake.stack.Component;
import org.trajlake.stack.LocalStack;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code trajlake bench ...}: benchmarks against the local stack, printing figures and writing a JSON report. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmarks on the local stack (started if it is not running). Figures are printed and written "
        + "to <data-dir>/reports/.",
    subcommands = {BenchCommand.Streams.class})
final class BenchCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "streams", mixinStandardHelpOptions = true,
      description = {"Synthetic trajectories and outcomes through ingest-streams and reward-joiner (exactly-once),",
          "each alone and both together, beside the raw broker consume rate on the same data."})
  static final class Streams implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--trajectories", defaultValue = "10000", description = "Trajectories to generate. Default: 10000.")
    int trajectories;

    @Option(names = "--steps", defaultValue = "20", description = "Steps per trajectory, the last an END. Default: 20.")
    int steps;

    @Option(names = "--content-bytes", defaultValue = "300", description = "Bytes of content per step. Default: 300.")
    int contentBytes;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the generator. Default: 42.")
    long seed;

    @Option(names = "--keep-topics", description = "Keep the run's topics (bench.<run>.*) for inspection.")
    boolean keepTopics;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      LocalStack stack = new LocalStack(StackOptions.config(spec, System.getenv()));
      stack.up(EnumSet.of(Component.KAFKA, Component.REGISTRY));
      StreamsBenchmark benchmark = new StreamsBenchmark(stack.endpoints(), trajectories, steps, contentBytes, seed, keepTopics, out);
      List<BenchFigure> figures = benchmark.run();
      Map<String, Object> parameters = new LinkedHashMap<>();
      parameters.put("trajectories", trajectories);
      parameters.put("steps", steps);
      parameters.put("content_bytes", contentBytes);
      parameters.put("seed", seed);
      Path report = BenchReport.write(stack.config().dataDir(), "streams", benchmark.runId(), parameters, figures);
      out.println("report: " + report);
      out.flush();
      return 0;
    }
  }
}
