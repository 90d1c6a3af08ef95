package org.trajlake.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.trajlake.cli.bench.BenchFigure;
import org.trajlake.cli.bench.BenchReport;
import org.trajlake.cli.bench.BenchTargets;
import org.trajlake.cli.bench.FreshnessBenchmark;
import org.trajlake.cli.bench.LatencySamples;
import org.trajlake.cli.bench.MachineProbe;
import org.trajlake.cli.bench.RecallBenchmark;
import org.trajlake.cli.bench.SinkBenchmark;
import org.trajlake.cli.bench.StreamsBenchmark;
import org.trajlake.recall.index.IndexAdmin;
import org.trajlake.recall.indexer.IndexerConfig;
import org.trajlake.recall.indexer.IndexingBenchmark;
import org.trajlake.runtime.Settings;
import org.trajlake.stack.Endpoints;
import org.trajlake.stack.Component;
import org.trajlake.stack.LocalStack;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code trajlake bench ...}: benchmarks against the local stack, printing figures and writing a JSON report. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmarks on the local stack (started if it is not running). Figures are printed and written "
        + "to <data-dir>/reports/.",
    subcommands = {BenchAllCommand.class, BenchCommand.Streams.class, BenchCommand.Indexing.class,
        BenchCommand.Recall.class, BenchCommand.Freshness.class, BenchCommand.Sink.class, BenchModelsCommand.class,
        BenchRelevanceCommand.class})
final class BenchCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Key, value, key, value, ... in that order. */
  static Map<String, Object> ordered(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  /** Starts what a benchmark needs (nothing that already runs), runs it, prints and saves its figures. */
  abstract static class Benchmark implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    abstract EnumSet<Component> needs();

    abstract String name();

    abstract Map<String, Object> parameters();

    /** Adds a problem for each option whose value this benchmark cannot run with. */
    abstract void checkSizes(SizeChecks sizes);

    /** What is wrong with the options' sizes, empty when the benchmark can run. */
    final List<String> sizeProblems() {
      SizeChecks sizes = new SizeChecks();
      checkSizes(sizes);
      return sizes.problems();
    }

    /** Runs and returns the run id, the figures and the latency samples it kept. */
    abstract Measured run(Endpoints endpoints, PrintWriter out) throws Exception;

    @Override
    public Integer call() throws Exception {
      List<String> problems = sizeProblems();
      if (!problems.isEmpty()) {
        throw new ParameterException(spec.commandLine(), String.join("; ", problems));
      }
      PrintWriter out = spec.commandLine().getOut();
      LocalStack stack = new LocalStack(StackOptions.config(spec, System.getenv()));
      printMachine(out);
      stack.up(needs());
      Measured result = measure(this, stack.endpoints(), out);
      printVerdicts(BenchTargets.check(name(), parameters(), result.figures()), out);
      Path report = BenchReport.write(stack.config().dataDir(), name(), result.runId(), parameters(), result.figures());
      out.println("report: " + report);
      out.flush();
      return 0;
    }
  }

  /**
   * What a benchmark run measured.
   *
   * @param runId the run's id (its topics, indexes and JSON report carry it)
   * @param figures the figures
   * @param samples every sample of the latency figures that keep them, for the distribution chart
   */
  record Measured(String runId, List<BenchFigure> figures, List<LatencySamples> samples) {
    Measured(String runId, List<BenchFigure> figures) {
      this(runId, figures, List.of());
    }
  }

  /** Runs {@code benchmark} and adds the CPU time the hypervisor took meanwhile to its figures. */
  static Measured measure(Benchmark benchmark, Endpoints endpoints, PrintWriter out) throws Exception {
    Optional<MachineProbe.CpuTimes> before = MachineProbe.cpuTimes();
    Measured result = benchmark.run(endpoints, out);
    Optional<BenchFigure> steal = MachineProbe.stealFigure(before);
    if (steal.isEmpty()) {
      return result;
    }
    out.println(steal.get().row());
    List<BenchFigure> figures = new ArrayList<>(result.figures());
    figures.add(steal.get());
    return new Measured(result.runId(), figures, result.samples());
  }

  /** What the figures will depend on, printed before the stack starts. */
  static void printMachine(PrintWriter out) {
    out.println("machine: " + BenchReport.describe(BenchReport.machine()));
    out.flush();
  }

  static void printVerdicts(List<BenchTargets.Verdict> verdicts, PrintWriter out) {
    if (verdicts.isEmpty()) {
      return;
    }
    out.println("  targets:");
    for (BenchTargets.Verdict verdict : verdicts) {
      BenchTargets.Target target = verdict.target();
      String measured = verdict.figure().map(f -> String.format(" (%,.1f %s)", f.value(), f.unit())).orElse("");
      out.printf("    %-48s %-26s %s%n", target.stage(), target.text() + " (" + target.source() + ")",
          verdict.status() + measured);
    }
    out.flush();
  }

  @Command(name = "indexing", mixinStandardHelpOptions = true,
      description = "recall-indexer throughput on a backlog, with in-process embeddings and with agent vectors. "
          + "Each trajectory has 20 steps and 5 tool calls.")
  static final class Indexing extends Benchmark {
    @Option(names = "--embedded", defaultValue = "2000", description = "Trajectories embedded in-process. Default: 2000.")
    int embedded;

    @Option(names = "--with-vectors", defaultValue = "20000", description = "Trajectories with agent vectors. Default: 20000.")
    int withVectors;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = {"An indexer setting for the measured indexer "
        + "(for example index.refresh.interval=1s); repeatable."})
    Map<String, String> indexerSettings = new LinkedHashMap<>();

    @Override
    EnumSet<Component> needs() {
      return EnumSet.of(Component.KAFKA, Component.REGISTRY, Component.OPENSEARCH);
    }

    @Override
    String name() {
      return "indexing";
    }

    @Override
    void checkSizes(SizeChecks sizes) {
      sizes.atLeast("--embedded", embedded, 0).atLeast("--with-vectors", withVectors, 0)
          .require(embedded + withVectors > 0, "--embedded and --with-vectors are both 0: nothing to measure");
    }

    @Override
    Map<String, Object> parameters() {
      Map<String, Object> parameters = ordered("embedded", embedded, "with_vectors", withVectors);
      indexerSettings.forEach(parameters::put);
      return parameters;
    }

    @Override
    Measured run(Endpoints endpoints, PrintWriter out) throws Exception {
      IndexingBenchmark benchmark = new IndexingBenchmark(endpoints.bootstrapServers(), endpoints.registryUrl(),
          endpoints.openSearchUrl(), endpoints.dataDir(), out, indexerSettings, false);
      List<BenchFigure> figures = new ArrayList<>();
      for (IndexingBenchmark.Figure figure : benchmark.run(embedded, withVectors)) {
        String note = String.format("%,d trajectories, %,d indexed, bulk p50 %d ms p95 %d ms", figure.trajectories(),
            figure.indexed(), figure.bulkP50().toMillis(), figure.bulkP95().toMillis());
        if (figure.bulkRequests() >= 3) {
          figures.add(new BenchFigure(figure.scenario() + ", sustained", figure.perSecond(), "trajectories/s", note));
        } else {
          // "Sustained" starts after the first bulk request: with one or two there is no span to measure.
          out.printf("  %s: too few bulk requests (%d) for a sustained rate; index more trajectories%n",
              figure.scenario(), figure.bulkRequests());
        }
        figures.add(new BenchFigure(figure.scenario() + ", with start-up", figure.perSecondWithStartUp(), "trajectories/s", note));
      }
      figures.forEach(figure -> out.println(figure.row()));
      List<LatencySamples> samples = new ArrayList<>();
      bulkSamples(endpoints.dataDir(), benchmark.runId(), "embed", "bulk request, in-process embeddings")
          .ifPresent(samples::add);
      bulkSamples(endpoints.dataDir(), benchmark.runId(), "vectors", "bulk request, agent vectors")
          .ifPresent(samples::add);
      return new Measured(benchmark.runId(), figures, samples);
    }

    /**
     * The duration of every bulk request of a scenario, from the log the indexing benchmark writes
     * ({@code <data-dir>/bench/indexing-<run>/<scenario>-bulks.csv}: end_nanos, trajectories, bulk_ms).
     */
    static Optional<LatencySamples> bulkSamples(Path dataDir, String runId, String scenario, String name)
        throws IOException {
      Path log = dataDir.resolve("bench").resolve("indexing-" + runId).resolve(scenario + "-bulks.csv");
      if (!Files.exists(log)) {
        return Optional.empty();
      }
      double[] millis = Files.readAllLines(log).stream().skip(1).filter(line -> !line.isBlank())
          .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(',') + 1))).toArray();
      return Optional.of(new LatencySamples(name, millis));
    }
  }

  @Command(name = "recall", mixinStandardHelpOptions = true,
      description = "Recall latency at 100,000 trajectories: HTTP recall beside the raw k-NN query. "
          + "Hybrid, BM25 and vector recall through the HTTP endpoint and the raw filtered k-NN query sent to "
          + "OpenSearch, on the same queries in the same run.")
  static final class Recall extends Benchmark {
    @Option(names = "--trajectories", defaultValue = "100000", description = "Trajectories indexed. Default: 100000.")
    int trajectories;

    @Option(names = "--queries", defaultValue = "1000", description = "Queries per case. Default: 1000.")
    int queries;

    @Option(names = "--clients", defaultValue = "8", description = {"Callers at once when the raw query and hybrid "
        + "recall are measured again under load, each sending its next query when answered; 0 leaves that out. "
        + "Default: 8."})
    int clients;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the corpus. Default: 42.")
    long seed;

    @Option(names = "--tool-output-words", defaultValue = "0", description = {"Words added to each tool output of "
        + "the corpus's trajectories (3 per trajectory), to measure recall on documents the size of your agents'; "
        + "0 leaves outputs of a few characters. Default: 0."})
    int toolOutputWords;

    @Option(names = "--keep", description = "Keep the benchmark's indexes (bench-<run>-*).")
    boolean keep;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = {"An index setting of the indexer for the "
        + "benchmark's indexes (for example index.knn.ef.construction=128), or a recall.* setting of the measured "
        + "recall service (for example recall.window=20); repeatable."})
    Map<String, String> settings = new LinkedHashMap<>();

    @Override
    EnumSet<Component> needs() {
      return EnumSet.of(Component.OPENSEARCH);
    }

    @Override
    String name() {
      return "recall";
    }

    @Override
    void checkSizes(SizeChecks sizes) {
      sizes.atLeast("--trajectories", trajectories, 1).atLeast("--queries", queries, 1).atLeast("--clients", clients, 0)
          .atLeast("--tool-output-words", toolOutputWords, 0);
    }

    @Override
    Map<String, Object> parameters() {
      Map<String, Object> parameters = ordered("trajectories", trajectories, "queries", queries, "clients", clients,
          "seed", seed, "tool_output_words", toolOutputWords);
      settings.forEach(parameters::put);
      return parameters;
    }

    @Override
    Measured run(Endpoints endpoints, PrintWriter out) throws Exception {
      IndexAdmin.IndexSettings index = indexSettings(settings);
      RecallBenchmark benchmark = new RecallBenchmark(endpoints,
          new RecallBenchmark.Corpus(trajectories, toolOutputWords, seed), queries, clients, keep, index,
          only(settings, true), out);
      List<BenchFigure> figures = benchmark.run();
      return new Measured(benchmark.runId(), figures, benchmark.samples());
    }

    /**
     * The settings of the benchmark's indexes among {@code settings} (all but {@code recall.*}), read as the
     * indexer reads them: an unknown value is refused naming its key.
     */
    static IndexAdmin.IndexSettings indexSettings(Map<String, String> settings) {
      return IndexerConfig.from(Settings.of(only(settings, false))).indexSettings();
    }

    /** The {@code recall.*} settings (for the recall service), or all the others (for the indexes). */
    static Map<String, String> only(Map<String, String> settings, boolean recall) {
      Map<String, String> chosen = new LinkedHashMap<>();
      settings.forEach((key, value) -> {
        if (key.startsWith("recall.") == recall) {
          chosen.put(key, value);
        }
      });
      return chosen;
    }
  }

  @Command(name = "freshness", mixinStandardHelpOptions = true,
      description = "Freshness: from a trajectory's END acknowledged by Kafka to recall returning it. "
          + "Through ingest-streams, the indexer and recall, while a background fleet writes trajectories at a "
          + "steady rate.")
  static final class Freshness extends Benchmark {
    @Option(names = "--probes", defaultValue = "200", description = "Probe trajectories. Default: 200.")
    int probes;

    @Option(names = "--background", defaultValue = "100", description = "Background trajectories per second. Default: 100.")
    int background;

    @Option(names = "--probe-threads", defaultValue = "4", description = "Probes in flight at once. Default: 4.")
    int probeThreads;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = {"A setting of the measured services, given to "
        + "all three as `trajlake run all` does (for example index.refresh.interval=1s); repeatable."})
    Map<String, String> settings = new LinkedHashMap<>();

    @Override
    EnumSet<Component> needs() {
      return EnumSet.of(Component.KAFKA, Component.REGISTRY, Component.OPENSEARCH);
    }

    @Override
    String name() {
      return "freshness";
    }

    @Override
    void checkSizes(SizeChecks sizes) {
      sizes.atLeast("--probes", probes, 1).atLeast("--background", background, 0)
          .atLeast("--probe-threads", probeThreads, 1);
    }

    @Override
    Map<String, Object> parameters() {
      Map<String, Object> parameters = ordered("probes", probes, "background_per_second", background, "probe_threads",
          probeThreads);
      settings.forEach(parameters::put);
      return parameters;
    }

    @Override
    Measured run(Endpoints endpoints, PrintWriter out) throws Exception {
      FreshnessBenchmark benchmark = new FreshnessBenchmark(endpoints, probes, background, probeThreads, settings, out);
      List<BenchFigure> figures = benchmark.run();
      return new Measured(benchmark.runId(), figures, benchmark.samples());
    }
  }

  @Command(name = "streams", mixinStandardHelpOptions = true,
      description = "Throughput of ingest-streams and reward-joiner (exactly-once) on synthetic events. "
          + "Each alone and both together, beside the raw broker consume rate on the same data.")
  static final class Streams extends Benchmark {
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
    EnumSet<Component> needs() {
      return EnumSet.of(Component.KAFKA, Component.REGISTRY);
    }

    @Override
    String name() {
      return "streams";
    }

    @Override
    void checkSizes(SizeChecks sizes) {
      sizes.atLeast("--trajectories", trajectories, 1).atLeast("--steps", steps, 1)
          .atLeast("--content-bytes", contentBytes, 0);
    }

    @Override
    Map<String, Object> parameters() {
      Map<String, Object> parameters = new LinkedHashMap<>();
      parameters.put("trajectories", trajectories);
      parameters.put("steps", steps);
      parameters.put("content_bytes", contentBytes);
      parameters.put("seed", seed);
      return parameters;
    }

    @Override
    Measured run(Endpoints endpoints, PrintWriter out) throws Exception {
      StreamsBenchmark benchmark = new StreamsBenchmark(endpoints, trajectories, steps, contentBytes, seed, keepTopics, out);
      return new Measured(benchmark.runId(), benchmark.run());
    }
  }

  @Command(name = "sink", mixinStandardHelpOptions = true,
      description = "The iceberg-sink: rows written per second from a backlog, commit latency, the export read rate "
          + "of one snapshot's flat columns, and the cold lag (record written -> in a snapshot) under a trickle.")
  static final class Sink extends Benchmark {
    @Option(names = "--trajectories", defaultValue = "100000", description = "Rewarded trajectories. Default: 100000.")
    int trajectories;

    @Option(names = "--steps", defaultValue = "20", description = "Steps per trajectory. Default: 20.")
    int steps;

    @Option(names = "--content-bytes", defaultValue = "300", description = "Bytes of content per step. Default: 300.")
    int contentBytes;

    @Option(names = "--end-spacing-ms", defaultValue = "1000", description = {"Milliseconds between the end times of "
        + "consecutive backlog trajectories. Default: 1000 (100,000 trajectories end over 28 hours: two day partitions,",
        "where a fleet at 20,000/s would fill one; 30000 spreads them over 35 days of small files)."})
    long endSpacingMs;

    @Option(names = "--warm-up", defaultValue = "-1", description = "Trajectories the sink writes first, unmeasured, "
        + "into tables of their own. Default: half of --trajectories (50,000).")
    int warmUp;

    private int warmUp() {
      return warmUp < 0 ? trajectories / 2 : warmUp;
    }

    @Option(names = "--cold-interval", defaultValue = "10", description = "commit.interval.ms of the cold-lag run, in seconds. Default: 10.")
    int coldInterval;

    @Option(names = "--trickle-seconds", defaultValue = "30", description = "Length of the cold-lag run. Default: 30.")
    int trickleSeconds;

    @Option(names = "--write-threads", defaultValue = "2", description = "sink.write.threads of the backlog run. Default: 2.")
    int writeThreads;

    @Option(names = "--keep", description = "Keep the run's tables (namespaces bench_<run> and bench_<run>_warmup of "
        + "the stack's catalog); by default they are dropped with their files.")
    boolean keep;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = {"A sink setting of the backlog run (for "
        + "example commit.max.records=50000); repeatable."})
    Map<String, String> sinkSettings = new LinkedHashMap<>();

    @Override
    EnumSet<Component> needs() {
      return EnumSet.of(Component.KAFKA, Component.REGISTRY, Component.ICEBERG);
    }

    @Override
    String name() {
      return "sink";
    }

    @Override
    void checkSizes(SizeChecks sizes) {
      sizes.atLeast("--trajectories", trajectories, 1).atLeast("--steps", steps, 1)
          .atLeast("--content-bytes", contentBytes, 0).atLeast("--end-spacing-ms", endSpacingMs, 0)
          .require(warmUp >= -1, "--warm-up must be 0 or more (or -1: half of --trajectories), not " + warmUp)
          .atLeast("--cold-interval", coldInterval, 1)
          .atLeast("--trickle-seconds", trickleSeconds, 1).atLeast("--write-threads", writeThreads, 1);
    }

    @Override
    Map<String, Object> parameters() {
      Map<String, Object> parameters = ordered("trajectories", trajectories, "steps", steps, "content_bytes",
          contentBytes, "end_spacing_ms", endSpacingMs, "warm_up", warmUp(), "cold_interval_s", coldInterval,
          "trickle_s", trickleSeconds, "write_threads", writeThreads);
      sinkSettings.forEach(parameters::put);
      return parameters;
    }

    @Override
    Measured run(Endpoints endpoints, PrintWriter out) throws Exception {
      SinkBenchmark benchmark = new SinkBenchmark(endpoints, new SinkBenchmark.Scenario(trajectories, steps, contentBytes,
          Duration.ofMillis(endSpacingMs), warmUp(), Duration.ofSeconds(coldInterval), trickleSeconds, writeThreads, sinkSettings),
          keep, out);
      return new Measured(benchmark.runId(), benchmark.run());
    }
  }
}
