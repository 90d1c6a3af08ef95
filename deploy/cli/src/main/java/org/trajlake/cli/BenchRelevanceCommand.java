package org.trajlake.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.trajlake.cli.bench.BenchFigure;
import org.trajlake.cli.bench.RelevanceBenchmark;
import org.trajlake.recall.indexer.EmbeddingModelBenchmark;
import org.trajlake.stack.Component;
import org.trajlake.stack.Endpoints;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code trajlake bench relevance}: how often recall finds the task a request asks for, in each mode, on OpenSearch. */
@Command(name = "relevance", mixinStandardHelpOptions = true,
    description = "Recall's relevance in each mode (hybrid, bm25, vector) through the real service on OpenSearch: "
        + "the set of bench models (120 coding tasks in 30 topics of 4 near misses) indexed as trajectories, each "
        + "looked up by its request in other words: top-1, top-5 and mean reciprocal rank over the top 10.")
final class BenchRelevanceCommand extends BenchCommand.Benchmark {
  @Option(names = "--tasks", paramLabel = "FILE", description = {"Your own set instead of the built-in one: UTF-8 lines "
      + "of topic, task id, the task's text and", "a request for it in other words, tab-separated ('#' starts a comment)."})
  Path tasksFile;

  @Option(names = "--opaque-task-ids", description = {"Index the tasks with ids that say nothing (task-17) instead of "
      + "the set's descriptive ones,", "as for a fleet whose task ids are ticket numbers."})
  boolean opaqueTaskIds;

  @Option(names = "--requests", defaultValue = "paraphrase", converter = RequestsConverter.class,
      description = {"What each request says: paraphrase (the set's request, in other words than the task's; "
          + "default),", "identifiers (up to two identifiers from the task's own text, such as a test name or an "
          + "error code),", "mixed (the request in other words followed by the identifiers),", "or words (the "
          + "identifiers written out as words: payment service test refund flow)."})
  RelevanceBenchmark.Requests requests;

  @Option(names = "--keep", description = "Keep the benchmark's indexes (bench-<run>-*).")
  boolean keep;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = {"A setting of the measured recall service (for "
      + "example recall.rrf.k=20) or of the benchmark's indexes", "(index.text.analysis=standard); repeatable."})
  Map<String, String> settings = new LinkedHashMap<>();

  @Override
  EnumSet<Component> needs() {
    return EnumSet.of(Component.OPENSEARCH);
  }

  @Override
  String name() {
    return "relevance";
  }

  @Override
  void checkSizes(SizeChecks sizes) {
    // Nothing to size: the set decides how many tasks and requests there are.
  }

  @Override
  Map<String, Object> parameters() {
    Map<String, Object> parameters = BenchCommand.ordered("tasks", tasksFile == null ? "built-in" : tasksFile.toString(),
        "opaque_task_ids", opaqueTaskIds, "requests", requests.name().toLowerCase(Locale.ROOT));
    settings.forEach(parameters::put);
    return parameters;
  }

  @Override
  BenchCommand.Measured run(Endpoints endpoints, PrintWriter out) throws Exception {
    List<EmbeddingModelBenchmark.Task> tasks = BenchModelsCommand.tasks(tasksFile);
    RelevanceBenchmark benchmark = new RelevanceBenchmark(endpoints, tasks, opaqueTaskIds, requests, keep,
        BenchCommand.Recall.indexSettings(settings), BenchCommand.Recall.only(settings, true), out);
    List<BenchFigure> figures = new ArrayList<>();
    for (RelevanceBenchmark.Scores scores : benchmark.run()) {
      String note = scores.requests() + " requests (" + requests.name().toLowerCase(Locale.ROOT) + ") against "
          + tasks.size() + " tasks, k=10";
      List<BenchFigure> own = List.of(
          new BenchFigure(scores.mode() + ", top-1", 100 * scores.top1(), "%", note),
          new BenchFigure(scores.mode() + ", top-5", 100 * scores.top5(), "%", note),
          new BenchFigure(scores.mode() + ", mean reciprocal rank", 100 * scores.meanReciprocalRank(), "x100", note));
      own.forEach(figure -> out.println(figure.row()));
      out.flush();
      figures.addAll(own);
    }
    return new BenchCommand.Measured(benchmark.runId(), figures);
  }

  /** {@code paraphrase}, {@code identifiers}, {@code mixed} or {@code words}, in any case. */
  static final class RequestsConverter implements CommandLine.ITypeConverter<RelevanceBenchmark.Requests> {
    @Override
    public RelevanceBenchmark.Requests convert(String value) {
      try {
        return RelevanceBenchmark.Requests.valueOf(value.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException("expected paraphrase, identifiers, mixed or words, not '" + value + "'");
      }
    }
  }
}
