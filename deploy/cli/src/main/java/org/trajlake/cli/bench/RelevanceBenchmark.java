package org.trajlake.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.opensearch.client.transport.OpenSearchTransport;
import org.trajlake.recall.RunningRecall;
import org.trajlake.recall.embed.OnnxEmbedder;
import org.trajlake.recall.index.DocumentWriter;
import org.trajlake.recall.index.IndexAdmin;
import org.trajlake.recall.index.IndexNames;
import org.trajlake.recall.index.IndexedTrajectory;
import org.trajlake.recall.index.OpenSearchClients;
import org.trajlake.recall.index.OpenSearchSettings;
import org.trajlake.recall.index.TrajectoryDocuments;
import org.trajlake.recall.indexer.EmbeddingModelBenchmark.Task;
import org.trajlake.schema.Step;
import org.trajlake.schema.StepKind;
import org.trajlake.schema.Trajectory;
import org.trajlake.schema.TrajectoryStatus;
import org.trajlake.stack.Endpoints;

/**
 * {@code trajlake bench relevance}: does recall find the trajectory a later agent is after, in each
 * mode? Every task of a set becomes a trajectory (its text the first observation), indexed as the
 * indexer does (the summary embedded by the default model, the text for BM25) into fresh indexes;
 * then each task's request, in other words, goes to the real recall service's HTTP endpoint in
 * hybrid, bm25 and vector mode, and the rank of the task it asks for is scored: top-1, top-5 and
 * mean reciprocal rank over the top 10 (0 when it is not there).
 */
public final class RelevanceBenchmark {
  /** The modes measured, in the order they are reported. */
  public static final List<String> MODES = List.of("hybrid", "bm25", "vector");
  private static final String WORKSPACE = "bench-relevance";
  private static final int K = 10;
  private static final Instant START = Instant.parse("2026-11-01T00:00:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Between two words of an identifier: a run of neither letters nor digits, or a case change (aB, ABc). */
  private static final Pattern WORD_BOUNDARY =
      Pattern.compile("[^\\p{L}\\p{N}]+|(?<=\\p{Ll})(?=\\p{Lu})|(?<=\\p{Lu})(?=\\p{Lu}\\p{Ll})");

  /**
   * What each request says: the set's own request in other words, the identifiers the task names, both, or the
   * identifiers written out as words.
   */
  public enum Requests {
    /** The set's request for the task, in other words than the task's. */
    PARAPHRASE,
    /** Up to two identifiers from the task's own text (a test name, an error code, a config key), as an agent
     *  recalling by what it sees in a log would ask; tasks that name none are left out. */
    IDENTIFIERS,
    /** The request in other words followed by the identifiers, as an agent describing its task in its own
     *  words and naming what it sees would ask; tasks that name no identifier are left out. */
    MIXED,
    /** The identifiers written out as lower-case words ("payment service test refund flow thread sleep" for
     *  PaymentServiceTest.testRefundFlow and Thread.sleep), as an agent naming what it works on without its
     *  exact spelling would ask; tasks that name no identifier are left out. */
    WORDS;

    /** This kind's request for {@code task}; empty when the task cannot be asked this way. */
    String of(Task task) {
      if (this == PARAPHRASE) {
        return task.request();
      }
      String identifiers = identifiers(task.text());
      if (this == WORDS) {
        return words(identifiers);
      }
      return this == MIXED && !identifiers.isEmpty() ? task.request() + " " + identifiers : identifiers;
    }
  }

  /** How one mode ranked the requests' tasks. */
  public record Scores(String mode, int requests, double top1, double top5, double meanReciprocalRank) {}

  private final Endpoints endpoints;
  private final List<Task> tasks;
  private final boolean opaqueTaskIds;
  private final Requests requests;
  private final boolean keep;
  private final IndexAdmin.IndexSettings indexSettings;
  private final Map<String, String> recallSettings;
  private final PrintWriter out;
  private final String runId = "b" + System.currentTimeMillis();

  /**
   * @param opaqueTaskIds index the tasks with ids that say nothing ({@code task-17}), as for a fleet
   *     whose task ids are ticket numbers
   * @param indexSettings how the benchmark's indexes are made (their text analysis, for one)
   * @param recallSettings settings of the measured recall service ({@code recall.*}); its indexes and port
   *     are the benchmark's
   */
  public RelevanceBenchmark(Endpoints endpoints, List<Task> tasks, boolean opaqueTaskIds, Requests requests,
      boolean keep, IndexAdmin.IndexSettings indexSettings, Map<String, String> recallSettings, PrintWriter out) {
    this.endpoints = endpoints;
    this.tasks = List.copyOf(tasks);
    this.opaqueTaskIds = opaqueTaskIds;
    this.requests = requests;
    this.keep = keep;
    this.indexSettings = indexSettings;
    this.recallSettings = Map.copyOf(recallSettings);
    this.out = out;
  }

  public String runId() {
    return runId;
  }

  /** Indexes the tasks, then scores every mode; the indexes are deleted afterwards unless kept. */
  public List<Scores> run() throws Exception {
    IndexNames names = new IndexNames("bench-" + runId + "-");
    OpenSearchTransport transport = OpenSearchClients.transport(
        new OpenSearchSettings.Connection(endpoints.openSearchUrl(), "", "", names.prefix()));
    try {
      index(transport, names);
      List<Scores> scores = new ArrayList<>();
      try (RunningRecall recall = RecallBenchmark.startRecall(endpoints, names, recallSettings)) {
        for (String mode : MODES) {
          scores.add(score(recall.port(), mode));
        }
      }
      return scores;
    } finally {
      if (keep) {
        out.println("  indexes kept: " + names.prefix() + "* (--keep)");
      } else {
        new IndexAdmin(transport, names).deleteAll();
      }
      transport.close();
    }
  }

  private void index(OpenSearchTransport transport, IndexNames names) throws Exception {
    TrajectoryDocuments documents = new TrajectoryDocuments(OpenSearchSettings.DEFAULT_EMBEDDING_MAX_WORDS);
    try (OnnxEmbedder embedder = OnnxEmbedder.load(OnnxEmbedder.DEFAULT_MODEL, 2)) {
      IndexAdmin admin = new IndexAdmin(transport, names);
      admin.ensure(embedder.model(), embedder.dimension(), indexSettings, documents);
      List<IndexedTrajectory> batch = new ArrayList<>();
      for (int i = 0; i < tasks.size(); i++) {
        batch.add(documents.of(trajectory(i)));
      }
      DocumentWriter writer = new DocumentWriter(OpenSearchClients.client(transport), names, embedder, false,
          admin.bulkFormat());
      RecallBenchmark.writeAll(writer, batch);
    }
    RecallBenchmark.http(endpoints.openSearchUrl() + "/" + names.trajectories() + "/_refresh", "{}");
    out.printf("  %d tasks indexed into %s, summaries embedded by %s%n", tasks.size(), names.trajectories(),
        OnnxEmbedder.DEFAULT_MODEL);
    out.flush();
  }

  /** Task {@code i} as an agent's trajectory: what it was asked (the first observation), then its end. */
  private Trajectory trajectory(int i) {
    Task task = tasks.get(i);
    String id = trajectoryId(i);
    Instant start = START.plusSeconds(60L * i);
    List<Step> steps = List.of(SyntheticCorpus.step(id, 0, start, StepKind.OBSERVATION, task.text()),
        SyntheticCorpus.step(id, 1, start, StepKind.END, "Done."));
    return Trajectory.newBuilder()
        .setTrajectoryId(id).setWorkspace(WORKSPACE).setAgentId("bench-agent@1")
        .setTaskId(opaqueTaskIds ? "task-" + i : task.id()).setStatus(TrajectoryStatus.SUCCESS)
        .setStartedAt(start).setEndedAt(start.plusSeconds(1)).setSteps(steps).setTags(List.of())
        .setAttributes(Map.of()).setVersion(1).setAssembledAt(start.plusSeconds(2))
        .build();
  }

  private String trajectoryId(int i) {
    return runId + "-" + i;
  }

  private Scores score(int port, String mode) throws Exception {
    String url = "http://127.0.0.1:" + port + "/v1/recall";
    int asked = 0;
    int top1 = 0;
    int top5 = 0;
    double reciprocalRanks = 0;
    for (int i = 0; i < tasks.size(); i++) {
      String query = requests.of(tasks.get(i));
      if (query.isEmpty()) {
        continue;
      }
      Map<String, Object> request = Map.of("workspace", WORKSPACE, "query", query, "k", K, "mode", mode);
      JsonNode answer = RecallBenchmark.http(url, JSON.writeValueAsString(request));
      int rank = rankOf(answer, trajectoryId(i));
      asked++;
      top1 += rank == 1 ? 1 : 0;
      top5 += rank >= 1 && rank <= 5 ? 1 : 0;
      reciprocalRanks += rank >= 1 ? 1.0 / rank : 0;
    }
    if (asked == 0) {
      throw new IllegalArgumentException("no task of the set names an identifier to ask by");
    }
    return new Scores(mode, asked, (double) top1 / asked, (double) top5 / asked, reciprocalRanks / asked);
  }

  /**
   * The two longest identifier-like words of {@code text}, joined by a space: words with a dot, an
   * underscore, a slash, an {@code @}, a capital after the first letter (camel case) or four capitals
   * and more (an error code). Empty when there is none.
   */
  static String identifiers(String text) {
    List<String> found = new ArrayList<>();
    for (String raw : text.split("\\s+")) {
      String word = raw.replaceAll("^[^\\p{Alnum}@./_-]+|[^\\p{Alnum}_()]+$", "");
      if (isIdentifier(word) && !found.contains(word)) {
        found.add(word);
      }
    }
    found.sort((a, b) -> Integer.compare(b.length(), a.length()));
    return String.join(" ", found.subList(0, Math.min(2, found.size())));
  }

  /**
   * The words of {@code identifiers}: split at what is not a letter or digit and at case changes, lower-cased,
   * each once, those of one character left out.
   */
  static String words(String identifiers) {
    Set<String> words = new LinkedHashSet<>();
    for (String part : WORD_BOUNDARY.split(identifiers)) {
      if (part.length() > 1) {
        words.add(part.toLowerCase(Locale.ROOT));
      }
    }
    return String.join(" ", words);
  }

  private static boolean isIdentifier(String word) {
    if (word.length() < 4) {
      return false;
    }
    boolean camel = false;
    int capitals = 0;
    for (int i = 0; i < word.length(); i++) {
      char c = word.charAt(i);
      camel |= i > 0 && Character.isUpperCase(c) && Character.isLowerCase(word.charAt(i - 1));
      capitals += Character.isUpperCase(c) ? 1 : 0;
    }
    boolean errorCode = capitals >= 4 && capitals == word.replaceAll("[^\\p{Alpha}]", "").length();
    boolean joined = Character.isLetter(word.charAt(0))
        && word.chars().anyMatch(c -> c == '.' || c == '_' || c == '/' || c == '@');
    return camel || errorCode || joined;
  }

  /** The 1-based rank of {@code trajectoryId} among the recalled trajectories, 0 when it is not among them. */
  static int rankOf(JsonNode answer, String trajectoryId) {
    JsonNode recalled = answer.path("trajectories");
    for (int i = 0; i < recalled.size(); i++) {
      if (trajectoryId.equals(recalled.get(i).path("trajectory_id").asText())) {
        return i + 1;
      }
    }
    return 0;
  }
}
