package org.trajlake.cli;

import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.trajlake.cli.bench.BenchReport;
import org.trajlake.cli.bench.BenchRun;
import org.trajlake.cli.bench.SuiteReport;
import org.trajlake.stack.Component;
import org.trajlake.stack.LocalStack;
import org.trajlake.stack.StackListener;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code trajlake bench all}: every benchmark in turn on one local stack, then one report. The
 * sizes default to each benchmark's own defaults (the issues' sizes); each can be scaled down for a
 * quick run. A benchmark that fails is recorded as failed and the suite goes on.
 */
@Command(name = "all", mixinStandardHelpOptions = true,
    description = {
        "Every benchmark in sequence (streams, indexing, recall, freshness, sink) on the local stack, started if it "
            + "is not running, then one report in <data-dir>/reports/<timestamp>/: report.md, report.json, "
            + "latencies.svg and throughput.svg, each figure against its target. Each benchmark still writes its own "
            + "JSON report to <data-dir>/reports/.",
        "Unset sizes are each benchmark's defaults, the issues' sizes; smaller sizes make a quick run whose report "
            + "says it was scaled down.",
        "Exits 1 if a benchmark failed (the others still run and are reported); a target not met is a figure, not "
            + "a failure."})
final class BenchAllCommand implements Callable<Integer> {
  static final List<String> ORDER = List.of("streams", "indexing", "recall", "freshness", "sink");

  @Spec
  CommandSpec spec;

  @Option(names = "--only", split = ",", paramLabel = "NAME",
      description = "Run only these benchmarks (comma-separated, run in the usual order). Default: all.")
  List<String> only;

  @Option(names = "--streams-trajectories", paramLabel = "N", description = "bench streams --trajectories. Default: 10000.")
  Integer streamsTrajectories;

  @Option(names = "--indexing-embedded", paramLabel = "N", description = "bench indexing --embedded. Default: 2000.")
  Integer indexingEmbedded;

  @Option(names = "--indexing-with-vectors", paramLabel = "N",
      description = "bench indexing --with-vectors. Default: 20000.")
  Integer indexingWithVectors;

  @Option(names = "--recall-trajectories", paramLabel = "N", description = "bench recall --trajectories. Default: 100000.")
  Integer recallTrajectories;

  @Option(names = "--recall-queries", paramLabel = "N", description = "bench recall --queries. Default: 1000.")
  Integer recallQueries;

  @Option(names = "--recall-clients", paramLabel = "N", description = "bench recall --clients. Default: 8.")
  Integer recallClients;

  @Option(names = "--freshness-probes", paramLabel = "N", description = "bench freshness --probes. Default: 200.")
  Integer freshnessProbes;

  @Option(names = "--freshness-background", paramLabel = "N",
      description = "bench freshness --background (trajectories/s). Default: 100.")
  Integer freshnessBackground;

  @Option(names = "--sink-trajectories", paramLabel = "N", description = "bench sink --trajectories. Default: 100000.")
  Integer sinkTrajectories;

  @Option(names = "--sink-trickle-seconds", paramLabel = "S", description = "bench sink --trickle-seconds. Default: 30.")
  Integer sinkTrickleSeconds;

  /** When the unmeasured warm-up runs before the benchmarks. */
  enum WarmUp { AUTO, ALWAYS, NEVER }

  @Option(names = "--warm-up", paramLabel = "WHEN", defaultValue = "auto",
      description = "auto, always or never: before measuring, a small unmeasured run of bench streams and bench "
          + "indexing, so servers that have just started (their JVMs compiling their hot code) are measured "
          + "as the long-running servers they stand for. auto: when this run started a server. Default: auto.")
  WarmUp warmUp;

  /** The warm-up's sizes: enough for the servers' and the services' hot paths to be compiled. */
  private static final List<List<String>> WARM_UP = List.of(
      List.of("streams", "--trajectories", "2000"),
      List.of("indexing", "--embedded", "200", "--with-vectors", "5000"));

  @Override
  public Integer call() throws Exception {
    List<String> selected = selected();
    List<BenchCommand.Benchmark> benchmarks = new ArrayList<>();
    boolean fullSize = true;
    List<String> problems = new ArrayList<>();
    for (String name : selected) {
      BenchCommand.Benchmark benchmark = configured(name);
      fullSize &= benchmark.parameters().equals(defaults(name).parameters());
      benchmarks.add(benchmark);
      benchmark.sizeProblems().forEach(problem -> problems.add("bench " + name + " " + problem));
    }
    // Checked before the first benchmark starts: a size only the last one refuses would fail an hour in.
    if (!problems.isEmpty()) {
      throw new CommandLine.ParameterException(spec.commandLine(), String.join("; ", problems));
    }
    PrintWriter out = spec.commandLine().getOut();
    LocalStack stack = new LocalStack(StackOptions.config(spec, System.getenv()));
    EnumSet<Component> needs = EnumSet.noneOf(Component.class);
    benchmarks.forEach(benchmark -> needs.addAll(benchmark.needs()));
    Instant began = Instant.now();
    BenchCommand.printMachine(out);
    EnumSet<Component> started = EnumSet.noneOf(Component.class);
    stack.up(needs, new StackListener() {
      @Override
      public void started(Component component, long pid) {
        started.add(component);
      }
    });
    String warmedUp = warmUp == WarmUp.ALWAYS || (warmUp == WarmUp.AUTO && !started.isEmpty())
        ? warmUp(stack, selected, out) : "";

    List<BenchRun> runs = new ArrayList<>();
    for (BenchCommand.Benchmark benchmark : benchmarks) {
      out.printf("%n== bench %s %s%n", benchmark.name(), benchmark.parameters());
      out.flush();
      long start = System.nanoTime();
      try {
        BenchCommand.Measured result = BenchCommand.measure(benchmark, stack.endpoints(), out);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        BenchRun run = new BenchRun(benchmark.name(), result.runId(), benchmark.parameters(), result.figures(),
            result.samples(), elapsed, Optional.empty());
        BenchCommand.printVerdicts(run.verdicts(), out);
        Path own = BenchReport.write(stack.config().dataDir(), benchmark.name(), result.runId(), benchmark.parameters(),
            result.figures());
        out.println("  " + benchmark.name() + " report: " + own);
        runs.add(run);
      } catch (Exception e) {
        // The other benchmarks' figures are still worth the report; this one is marked failed in it.
        String reason = e.getClass().getSimpleName() + ": " + e.getMessage();
        out.println("  bench " + benchmark.name() + " FAILED: " + reason);
        runs.add(new BenchRun(benchmark.name(), "-", benchmark.parameters(), List.of(), List.of(),
            Duration.ofNanos(System.nanoTime() - start), Optional.of(reason)));
      }
      out.flush();
    }

    SuiteReport report = new SuiteReport(began, Instant.now(), BenchReport.machine(), fullSize, warmedUp, runs);
    Path dir = report.write(stack.config().dataDir());
    long met = report.verdicts().stream().filter(v -> v.met()).count();
    out.printf("%n%d of %d targets met%s.%n", met, report.verdicts().size(),
        fullSize ? "" : " (scaled-down run: not a measurement of the targets)");
    out.println("report: " + dir.resolve(SuiteReport.MARKDOWN));
    for (String file : List.of(SuiteReport.JSON_FILE, SuiteReport.LATENCY_CHART, SuiteReport.THROUGHPUT_CHART)) {
      out.println("        " + dir.resolve(file));
    }
    out.flush();
    return runs.stream().anyMatch(run -> run.error().isPresent()) ? 1 : 0;
  }

  /**
   * Runs the warm-up of the selected benchmarks among streams and indexing, their figures discarded; returns
   * what ran, for the report.
   */
  private static String warmUp(LocalStack stack, List<String> selected, PrintWriter out) throws Exception {
    List<String> ran = new ArrayList<>();
    PrintWriter discard = new PrintWriter(Writer.nullWriter());
    for (List<String> run : WARM_UP) {
      if (!selected.contains(run.get(0))) {
        continue;
      }
      BenchCommand.Benchmark benchmark = parsed(command(run.get(0)), run.subList(1, run.size()).toArray());
      String what = "bench " + String.join(" ", run);
      out.printf("%n== warm-up, not measured: %s%n", what);
      out.flush();
      long start = System.nanoTime();
      benchmark.run(stack.endpoints(), discard);
      double seconds = (System.nanoTime() - start) / 1e9;
      out.printf("  %.1f s%n", seconds);
      ran.add(String.format(Locale.ROOT, "%s (%.1f s)", what, seconds));
    }
    return String.join(", ", ran);
  }

  private List<String> selected() {
    if (only == null || only.isEmpty()) {
      return ORDER;
    }
    for (String name : only) {
      if (!ORDER.contains(name)) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "--only: unknown benchmark '" + name + "'; choose from " + String.join(", ", ORDER));
      }
    }
    return ORDER.stream().filter(only::contains).toList();
  }

  /** The benchmark with the sizes given here, every other option at the benchmark's own default. */
  private BenchCommand.Benchmark configured(String name) {
    return switch (name) {
      case "streams" -> parsed(BenchCommand.Streams::new, "--trajectories", streamsTrajectories);
      case "indexing" -> parsed(BenchCommand.Indexing::new, "--embedded", indexingEmbedded, "--with-vectors",
          indexingWithVectors);
      case "recall" -> parsed(BenchCommand.Recall::new, "--trajectories", recallTrajectories, "--queries",
          recallQueries, "--clients", recallClients);
      case "freshness" -> parsed(BenchCommand.Freshness::new, "--probes", freshnessProbes, "--background",
          freshnessBackground);
      case "sink" -> parsed(BenchCommand.Sink::new, "--trajectories", sinkTrajectories, "--trickle-seconds",
          sinkTrickleSeconds);
      default -> throw new IllegalArgumentException(name);
    };
  }

  static BenchCommand.Benchmark defaults(String name) {
    return parsed(command(name));
  }

  private static Supplier<BenchCommand.Benchmark> command(String name) {
    return switch (name) {
      case "streams" -> BenchCommand.Streams::new;
      case "indexing" -> BenchCommand.Indexing::new;
      case "recall" -> BenchCommand.Recall::new;
      case "freshness" -> BenchCommand.Freshness::new;
      case "sink" -> BenchCommand.Sink::new;
      default -> throw new IllegalArgumentException(name);
    };
  }

  /**
   * Picocli fills the benchmark's options, so its defaults stay written once, on the benchmark's
   * own command. Arguments come in pairs, flag then value; a null value leaves the default.
   */
  private static BenchCommand.Benchmark parsed(Supplier<BenchCommand.Benchmark> command, Object... flagsAndValues) {
    List<String> args = new ArrayList<>();
    for (int i = 0; i < flagsAndValues.length; i += 2) {
      if (flagsAndValues[i + 1] != null) {
        args.add((String) flagsAndValues[i]);
        args.add(flagsAndValues[i + 1].toString());
      }
    }
    return CommandLine.populateCommand(command.get(), args.toArray(String[]::new));
  }
}
