package org.trajlake.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.trajlake.cli.bench.BenchFigure;
import org.trajlake.recall.embed.OnnxEmbedder;
import org.trajlake.recall.index.OpenSearchSettings;
import org.trajlake.recall.indexer.EmbeddingModelBenchmark;
import org.trajlake.stack.Component;
import org.trajlake.stack.Endpoints;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code trajlake bench models}: each embedding model's retrieval quality and speed, in-process, no servers. */
@Command(name = "models", mixinStandardHelpOptions = true,
    description = "Each embedding model on a hand-written set of 120 coding tasks (30 topics of 4 near misses), "
        + "each task looked up by another agent's request for it in other words: top-1, top-5, MRR, and "
        + "summaries embedded per second. Needs no server.")
final class BenchModelsCommand extends BenchCommand.Benchmark {
  @Option(names = "--models", split = ",", description = "Models to measure. Default: every supported one.")
  List<String> models = new ArrayList<>(OnnxEmbedder.supported());

  @Option(names = "--threads", defaultValue = "2", description = "embedding.threads: texts embedded at once. Default: 2.")
  int threads;

  @Option(names = "--max-words", defaultValue = "" + OpenSearchSettings.DEFAULT_EMBEDDING_MAX_WORDS,
      description = "embedding.max.words of a summary. Default: ${DEFAULT-VALUE}, the services' default.")
  int maxWords;

  @Option(names = "--request-prefix", defaultValue = "", description = {"Put before every request, for example bge's "
      + "retrieval instruction", "\"Represent this sentence for searching relevant passages: \". Default: none."})
  String requestPrefix;

  @Option(names = "--opaque-task-ids", description = {"Summaries carry ids that say nothing (task-17) instead of "
      + "the set's descriptive ones (payment-mock-timeout),", "as for a fleet whose task ids are ticket numbers."})
  boolean opaqueTaskIds;

  @Option(names = "--tasks", paramLabel = "FILE", description = {"Your own set instead of the built-in one: UTF-8 lines "
      + "of topic, task id, the task's text and", "a request for it in other words, tab-separated ('#' starts a comment)."})
  Path tasksFile;

  @Override
  EnumSet<Component> needs() {
    return EnumSet.noneOf(Component.class);
  }

  @Override
  String name() {
    return "models";
  }

  @Override
  void checkSizes(SizeChecks sizes) {
    sizes.atLeast("--threads", threads, 1).atLeast("--max-words", maxWords, 1);
  }

  @Override
  Map<String, Object> parameters() {
    return BenchCommand.ordered("models", String.join(",", models), "threads", threads, "max_words", maxWords,
        "request_prefix", requestPrefix, "opaque_task_ids", opaqueTaskIds, "tasks",
        tasksFile == null ? "built-in" : tasksFile.toString());
  }

  @Override
  BenchCommand.Measured run(Endpoints endpoints, PrintWriter out) throws IOException {
    List<EmbeddingModelBenchmark.Task> tasks = tasks(tasksFile);
    List<BenchFigure> figures = new ArrayList<>();
    for (String model : models) {
      EmbeddingModelBenchmark.Figure figure;
      try (OnnxEmbedder embedder = OnnxEmbedder.load(model, threads)) {
        figure = EmbeddingModelBenchmark.measure(embedder, tasks, maxWords, requestPrefix, opaqueTaskIds);
      }
      String note = figure.requests() + " requests against " + tasks.size() + " tasks";
      List<BenchFigure> own = List.of(
          new BenchFigure(model + ", top-1", 100 * figure.top1(), "%", note),
          new BenchFigure(model + ", top-5", 100 * figure.top5(), "%", note),
          new BenchFigure(model + ", mean reciprocal rank", 100 * figure.meanReciprocalRank(), "x100", note),
          new BenchFigure(model + ", right topic first", 100 * figure.topicTop1(), "%", note),
          new BenchFigure(model + ", summaries embedded", figure.textsPerSecond(), "texts/s",
              threads + " threads, " + maxWords + " words at most"));
      own.forEach(f -> out.println(f.row()));
      out.flush();
      figures.addAll(own);
    }
    return new BenchCommand.Measured("models-" + System.currentTimeMillis(), figures);
  }

  /** The built-in set of coding tasks, or the set in {@code file} (--tasks) when there is one. */
  static List<EmbeddingModelBenchmark.Task> tasks(Path file) throws IOException {
    List<EmbeddingModelBenchmark.Task> tasks = file == null ? EmbeddingModelBenchmark.tasks()
        : EmbeddingModelBenchmark.parse(Files.readAllLines(file, StandardCharsets.UTF_8));
    if (tasks.size() < 2) {
      throw new IllegalArgumentException("--tasks " + file + " holds " + tasks.size() + " tasks; ranking needs two or more");
    }
    return tasks;
  }
}
