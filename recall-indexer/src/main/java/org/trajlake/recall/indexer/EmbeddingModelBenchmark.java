package org.trajlake.recall.indexer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.trajlake.recall.embed.Embedder;
import org.trajlake.recall.index.TrajectoryDocuments;

/**
 * How well and how fast an embedding model finds a coding task from another agent's words for it,
 * for {@code trajlake bench models}. The set ({@value #TASKS}) is hand-written for this project: 30
 * topics of 4 tasks that are near misses of each other (four flaky tests, four memory leaks...),
 * each with a request for the same task in other words. Every task is embedded as the indexer embeds
 * a trajectory (its summary: task id, ": ", the text, cut to {@code embedding.max.words}), every
 * request as recall embeds a query, and each request ranks all the tasks by cosine.
 */
public final class EmbeddingModelBenchmark {
  static final String TASKS = "/org/trajlake/recall/embed/coding-task-retrieval.tsv";
  // Rounds of embedding every task, timed after one untimed round (the model's first inferences are slow).
  private static final int TIMED_ROUNDS = 3;

  /** One task of the set: its topic, id, the text the first agent was given, and the later request. */
  public record Task(String topic, String id, String text, String request) {}

  /**
   * One model's figures.
   *
   * @param requests how many requests ranked the tasks
   * @param top1 the share of requests whose task ranked first
   * @param top5 the share whose task was in the first five
   * @param meanReciprocalRank the mean of 1/rank of the right task
   * @param topicTop1 the share whose first task was of the right topic (a near miss counts)
   * @param textsPerSecond summaries embedded per second, on the embedder's pool
   */
  public record Figure(String model, int requests, double top1, double top5, double meanReciprocalRank,
      double topicTop1, double textsPerSecond) {}

  private EmbeddingModelBenchmark() {}

  /** The hand-written set. */
  public static List<Task> tasks() {
    try (InputStream in = EmbeddingModelBenchmark.class.getResourceAsStream(TASKS)) {
      if (in == null) {
        throw new IllegalStateException(TASKS + " is missing from the classpath");
      }
      return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Tasks from lines of topic, id, text and request, tab-separated; blank lines and '#' comments are skipped. */
  public static List<Task> parse(List<String> lines) {
    List<Task> tasks = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (String line : lines) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] fields = line.split("\t", -1);
      if (fields.length != 4 || List.of(fields).stream().anyMatch(String::isBlank) || !ids.add(fields[1])) {
        throw new IllegalArgumentException("not a task line (topic, unique id, text, request): " + line);
      }
      tasks.add(new Task(fields[0], fields[1], fields[2], fields[3]));
    }
    return tasks;
  }

  /**
   * Embeds every task's summary and every request with {@code embedder} and ranks.
   *
   * @param summaryWords the words of a summary that are embedded ({@code embedding.max.words})
   * @param requestPrefix put before every request (an instruction some models were trained with), or ""
   * @param opaqueIds whether the summaries carry ids that say nothing ({@code task-17}) instead of the
   *     set's descriptive ones, as for a fleet whose task ids are ticket numbers
   */
  public static Figure measure(Embedder embedder, List<Task> tasks, int summaryWords, String requestPrefix,
      boolean opaqueIds) {
    TrajectoryDocuments documents = new TrajectoryDocuments(summaryWords);
    List<String> summaries = new ArrayList<>();
    for (int i = 0; i < tasks.size(); i++) {
      summaries.add(documents.summary(opaqueIds ? "task-" + (i + 1) : tasks.get(i).id(), tasks.get(i).text()));
    }
    List<float[]> taskVectors = embedder.embed(summaries);
    long started = System.nanoTime();
    for (int round = 0; round < TIMED_ROUNDS; round++) {
      embedder.embed(summaries);
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    List<float[]> requestVectors = embedder.embed(tasks.stream().map(t -> requestPrefix + t.request()).toList());
    return score(embedder.model(), tasks, taskVectors, requestVectors, TIMED_ROUNDS * tasks.size() / seconds);
  }

  /** Ranks every task for each request by cosine; request i is answered by task i. */
  static Figure score(String model, List<Task> tasks, List<float[]> taskVectors, List<float[]> requestVectors,
      double textsPerSecond) {
    int top1 = 0;
    int top5 = 0;
    int topicTop1 = 0;
    double reciprocalRanks = 0;
    for (int i = 0; i < tasks.size(); i++) {
      double right = cosine(requestVectors.get(i), taskVectors.get(i));
      int rank = 1;
      int best = i;
      double bestScore = right;
      for (int j = 0; j < tasks.size(); j++) {
        double score = cosine(requestVectors.get(i), taskVectors.get(j));
        if (j != i && score >= right) {
          rank++; // a tie counts against the right task
        }
        if (score > bestScore) {
          bestScore = score;
          best = j;
        }
      }
      top1 += rank == 1 ? 1 : 0;
      top5 += rank <= 5 ? 1 : 0;
      topicTop1 += tasks.get(best).topic().equals(tasks.get(i).topic()) ? 1 : 0;
      reciprocalRanks += 1.0 / rank;
    }
    int n = tasks.size();
    return new Figure(model, n, (double) top1 / n, (double) top5 / n, reciprocalRanks / n, (double) topicTop1 / n,
        textsPerSecond);
  }

  static double cosine(float[] a, float[] b) {
    double dot = 0;
    double normA = 0;
    double normB = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
      normA += a[i] * a[i];
      normB += b[i] * b[i];
    }
    return normA == 0 || normB == 0 ? 0 : dot / Math.sqrt(normA * normB);
  }
}
