package org.trajlake.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.transport.OpenSearchTransport;
import org.trajlake.recall.RecallApp;
import org.trajlake.recall.RecallConfig;
import org.trajlake.recall.RunningRecall;
import org.trajlake.recall.embed.CachingEmbedder;
import org.trajlake.recall.embed.Embedder;
import org.trajlake.recall.embed.OnnxEmbedder;
import org.trajlake.recall.index.DocumentWriter;
import org.trajlake.recall.index.IndexAdmin;
import org.trajlake.recall.index.IndexNames;
import org.trajlake.recall.index.IndexedTrajectory;
import org.trajlake.recall.index.OpenSearchClients;
import org.trajlake.recall.index.OpenSearchSettings;
import org.trajlake.recall.index.TrajectoryDocuments;
import org.trajlake.runtime.Settings;
import org.trajlake.stack.Endpoints;

/**
 * {@code trajlake bench recall}: a corpus of trajectories with topic-clustered vectors indexed into
 * a fresh pair of indexes, then recall latency through the HTTP endpoint in every mode beside the
 * raw filtered k-NN query sent to OpenSearch directly, in the same run and on the same queries; then
 * the raw query and hybrid recall again with several callers at once, for the rate a node serves.
 */
public final class RecallBenchmark {
  /** The cases measured; the names are the stages of the figures (with " p50", " p95", " p99"). */
  public static final String RAW_KNN = "raw OpenSearch k-NN query (filtered)";
  public static final String HYBRID_VECTOR = "HTTP hybrid, vector given";
  public static final String HYBRID_TEXT = "HTTP hybrid, query text embedded";
  public static final String BM25 = "HTTP bm25";
  public static final String VECTOR = "HTTP vector, vector given";
  public static final String HYBRID_OVER_RAW = "hybrid p95 / raw k-NN p95";
  public static final String KNN_RECALL = "raw k-NN recall@10 against exact search";
  /** Queries whose approximate top 10 is compared with an exact search's. */
  private static final int RECALL_QUERIES = 200;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int LOAD_BATCH = 1000;

  private final Endpoints endpoints;
  private final Corpus shape;
  private final int queries;
  private final int clients;
  private final boolean keep;
  private final IndexAdmin.IndexSettings indexSettings;
  private final Map<String, String> recallSettings;
  private final PrintWriter out;
  private final String runId = "b" + System.currentTimeMillis();
  private final List<LatencySamples> samples = new ArrayList<>();

  /**
   * The corpus indexed.
   *
   * @param trajectories how many
   * @param toolOutputWords words added to each of a trajectory's 3 tool outputs (0: a few characters each);
   *     a real agent's outputs (test runs, file reads) make its documents tens of kilobytes, every one of
   *     which a search's fetch phase reads
   * @param seed the generator's seed
   */
  public record Corpus(int trajectories, int toolOutputWords, long seed) {}

  /** @param clients callers at once in the measurement under load; 0 leaves it out */
  public RecallBenchmark(Endpoints endpoints, Corpus corpus, int queries, int clients, boolean keep,
      IndexAdmin.IndexSettings indexSettings, Map<String, String> recallSettings, PrintWriter out) {
    this.endpoints = endpoints;
    this.indexSettings = indexSettings;
    this.recallSettings = Map.copyOf(recallSettings);
    this.shape = corpus;
    this.queries = queries;
    this.clients = clients;
    this.keep = keep;
    this.out = out;
  }

  public String runId() {
    return runId;
  }

  /** Every query's latency per case, once {@link #run()} has measured them. */
  public List<LatencySamples> samples() {
    return List.copyOf(samples);
  }

  public List<BenchFigure> run() throws Exception {
    IndexNames names = new IndexNames("bench-" + runId + "-");
    OpenSearchTransport transport = OpenSearchClients.transport(
        new OpenSearchSettings.Connection(endpoints.openSearchUrl(), "", "", names.prefix()));
    List<BenchFigure> figures = new ArrayList<>();
    try (Embedder embedder = new CachingEmbedder(OnnxEmbedder.load(OnnxEmbedder.DEFAULT_MODEL, 2), 10_000)) {
      SyntheticCorpus corpus = new SyntheticCorpus(shape.seed(), embedder, 0.03f, shape.toolOutputWords());
      TrajectoryDocuments documents = new TrajectoryDocuments(OpenSearchSettings.DEFAULT_EMBEDDING_MAX_WORDS);
      IndexAdmin admin = new IndexAdmin(transport, names);
      admin.ensure(embedder.model(), embedder.dimension(), indexSettings, documents);
      OpenSearchClient client = OpenSearchClients.client(transport);
      figures.add(report(load(new DocumentWriter(client, names, embedder, false, admin.bulkFormat()), names, corpus,
          documents)));
      http(endpoints.openSearchUrl() + "/" + names.trajectories() + "/_refresh", "{}");
      settleMerges(names);
      try (RunningRecall recall = startRecall(endpoints, names, recallSettings)) {
        figures.addAll(measure(recall.port(), names, embedder, corpus));
      }
    } finally {
      if (!keep) {
        new IndexAdmin(transport, names).deleteAll();
      }
      transport.close();
    }
    return figures;
  }

  /** Indexes the corpus with the agents' vectors, two bulk requests at a time, trajectory documents only. */
  private BenchFigure load(DocumentWriter writer, IndexNames names, SyntheticCorpus corpus, TrajectoryDocuments documents)
      throws Exception {
    out.printf("  indexing %,d trajectories (%d topics, agent vectors) into %s ...%n", shape.trajectories(),
        corpus.topics(), names.trajectories());
    out.flush();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    long started = System.nanoTime();
    try {
      List<CompletableFuture<Void>> inFlight = new ArrayList<>();
      for (int from = 0; from < shape.trajectories(); from += LOAD_BATCH) {
        List<IndexedTrajectory> batch = new ArrayList<>();
        for (int i = from; i < Math.min(shape.trajectories(), from + LOAD_BATCH); i++) {
          IndexedTrajectory full = documents.of(corpus.trajectory(runId, i));
          batch.add(new IndexedTrajectory(full.id(), full.version(), full.document(), full.summary(), full.agentVector(),
              List.of()));
        }
        inFlight.add(CompletableFuture.runAsync(() -> {
          try {
            writeAll(writer, batch);
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }, pool));
        if (inFlight.size() >= 2) {
          inFlight.remove(0).join();
        }
      }
      inFlight.forEach(CompletableFuture::join);
    } finally {
      pool.shutdown();
    }
    return BenchFigure.rate("index corpus (agent vectors, trajectory docs)", shape.trajectories(), "trajectories",
        Duration.ofNanos(System.nanoTime() - started), "bulk of 1,000, 2 in flight");
  }

  /** Writes {@code batch}; fails on the first document OpenSearch did not take. */
  static void writeAll(DocumentWriter writer, List<IndexedTrajectory> batch) throws java.io.IOException {
    writer.write(batch).perTrajectory().forEach(items -> items.forEach(item -> {
      if (!item.ok()) {
        throw new IllegalStateException("indexing failed: " + item);
      }
    }));
  }

  /** The real recall service on a free port over the indexes of {@code names}, with {@code settings} beneath. */
  static RunningRecall startRecall(Endpoints endpoints, IndexNames names, Map<String, String> settings) {
    Map<String, String> service = new LinkedHashMap<>(settings);
    service.put(OpenSearchSettings.URL, endpoints.openSearchUrl());
    service.put(OpenSearchSettings.INDEX_PREFIX, names.prefix());
    service.put("recall.port", "0");
    return RecallApp.start(RecallConfig.from(Settings.of(service)));
  }

  /**
   * Waits for the merges the bulk load left running: an index that has been serving for a while
   * has none, and their CPU would otherwise be charged to the first queries measured.
   */
  private void settleMerges(IndexNames names) throws Exception {
    String stats = endpoints.openSearchUrl() + "/" + names.trajectories() + "/_stats/merge,segments,store,docs";
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    JsonNode total = http("GET", stats, null).path("_all").path("total");
    while (total.path("merges").path("current").asLong() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(1000);
      total = http("GET", stats, null).path("_all").path("total");
    }
    // The stored size per trajectory says how heavy the documents are that each hit's fetch reads.
    long docs = Math.max(1, total.path("docs").path("count").asLong());
    double kilobytes = total.path("store").path("size_in_bytes").asLong() / 1024.0 / docs;
    out.printf("  background merges settled: %d segments, %.1f KB stored per trajectory%n",
        total.path("segments").path("count").asLong(), kilobytes);
    out.flush();
  }

  private List<BenchFigure> measure(int port, IndexNames names, Embedder embedder, SyntheticCorpus corpus) throws Exception {
    String recallUrl = "http://127.0.0.1:" + port + "/v1/recall";
    String knnUrl = endpoints.openSearchUrl() + "/" + names.trajectories() + "/_search";
    List<String> texts = new ArrayList<>();
    List<float[]> vectors = new ArrayList<>();
    List<String> workspaces = new ArrayList<>();
    for (int i = 0; i < queries; i++) {
      int topic = corpus.randomTopic();
      texts.add("why does " + corpus.task(topic) + " again, attempt " + i);
      List<Float> near = corpus.vectorNear(topic);
      float[] vector = new float[near.size()];
      for (int d = 0; d < vector.length; d++) {
        vector[d] = near.get(d);
      }
      vectors.add(vector);
      workspaces.add(SyntheticCorpus.WORKSPACES.get(i % SyntheticCorpus.WORKSPACES.size()));
    }
    // Every case's request bodies, made once: the sequential and the loaded measurements send the same ones.
    Map<String, List<String>> bodies = new LinkedHashMap<>();
    Map<String, Latencies> results = new LinkedHashMap<>();
    for (String name : List.of(RAW_KNN, HYBRID_VECTOR, HYBRID_TEXT, BM25, VECTOR)) {
      bodies.put(name, new ArrayList<>());
      results.put(name, new Latencies());
    }
    for (int i = 0; i < queries; i++) {
      bodies.get(RAW_KNN).add(rawKnn(vectors.get(i), workspaces.get(i)));
      bodies.get(HYBRID_VECTOR).add(recall(texts.get(i), vectors.get(i), workspaces.get(i), "hybrid"));
      bodies.get(HYBRID_TEXT).add(recall(texts.get(i), null, workspaces.get(i), "hybrid"));
      bodies.get(BM25).add(recall(texts.get(i), null, workspaces.get(i), "bm25"));
      bodies.get(VECTOR).add(recall(texts.get(i), vectors.get(i), workspaces.get(i), "vector"));
    }
    // Warm-up: the JIT, the caches and OpenSearch's HNSW graphs in memory.
    for (int i = 0; i < Math.min(300, queries); i++) {
      http(knnUrl, bodies.get(RAW_KNN).get(i));
      http(recallUrl, bodies.get(HYBRID_VECTOR).get(i));
    }
    out.printf("  measuring %,d queries per case, one at a time ...%n", queries);
    out.flush();
    for (int i = 0; i < queries; i++) {
      // Interleaved, so every case sees the same machine conditions.
      for (Map.Entry<String, List<String>> each : bodies.entrySet()) {
        time(results.get(each.getKey()), each.getKey().equals(RAW_KNN) ? knnUrl : recallUrl, each.getValue().get(i));
      }
    }
    List<BenchFigure> figures = new ArrayList<>();
    results.forEach((name, latencies) -> {
      out.printf("  %-40s %s%n", name, latencies.summary());
      samples.add(latencies.samples(name));
      String note = latencies.count() + " queries, k=10, sequential";
      figures.add(BenchFigure.latency(name + " p50", latencies.percentile(50), note));
      figures.add(BenchFigure.latency(name + " p95", latencies.percentile(95), note));
      figures.add(BenchFigure.latency(name + " p99", latencies.percentile(99), note));
    });
    double ratio = results.get(HYBRID_VECTOR).percentile(95) / results.get(RAW_KNN).percentile(95);
    out.printf("  hybrid p95 / raw k-NN p95 = %.2f%n", ratio);
    out.flush();
    figures.add(new BenchFigure(HYBRID_OVER_RAW, ratio, "x", "target 1.5 or less"));
    figures.add(knnRecall(knnUrl, vectors, workspaces));
    if (clients > 0) {
      out.printf("  measuring %,d queries per case with %d clients at once ...%n", queries, clients);
      out.flush();
      figures.addAll(underLoad(RAW_KNN, knnUrl, bodies.get(RAW_KNN)));
      figures.addAll(underLoad(HYBRID_VECTOR, recallUrl, bodies.get(HYBRID_VECTOR)));
      figures.addAll(underLoad(HYBRID_TEXT, recallUrl, bodies.get(HYBRID_TEXT)));
    }
    return figures;
  }

  /** A case's name as measured under load: {@code "<case>, <n> clients at once"}. */
  public static String underLoadStage(String name, int clients) {
    return name + ", " + clients + " clients at once";
  }

  /**
   * Recall as a fleet calls it: {@code clients} callers at once, each sending its next query as soon
   * as its last is answered. The rate is what the node and the service serve together at that
   * concurrency, on the same 2 cores as the callers; the latencies are what each caller waits.
   */
  private List<BenchFigure> underLoad(String name, String url, List<String> bodies) throws Exception {
    Latencies latencies = new Latencies();
    AtomicInteger next = new AtomicInteger();
    ExecutorService callers = Executors.newFixedThreadPool(clients);
    long started = System.nanoTime();
    try {
      List<Future<Void>> running = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        running.add(callers.submit(() -> {
          for (int i = next.getAndIncrement(); i < bodies.size(); i = next.getAndIncrement()) {
            time(latencies, url, bodies.get(i));
          }
          return null;
        }));
      }
      for (Future<Void> caller : running) {
        caller.get();
      }
    } finally {
      callers.shutdownNow();
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
    String stage = underLoadStage(name, clients);
    String note = latencies.count() + " queries, k=10, " + clients + " clients each sending its next when answered";
    BenchFigure rate = BenchFigure.rate(stage, latencies.count(), "queries", elapsed, clients + " clients at once");
    out.printf("  %-52s %,7.1f queries/s  %s%n", stage, rate.value(), latencies.summary());
    out.flush();
    return List.of(rate,
        BenchFigure.latency(stage + " p50", latencies.percentile(50), note),
        BenchFigure.latency(stage + " p95", latencies.percentile(95), note),
        BenchFigure.latency(stage + " p99", latencies.percentile(99), note));
  }

  /**
   * How much of the exact top 10 the HNSW graph finds: the filtered k-NN query against a
   * brute-force script score over the same workspace. What the graph parameters trade for speed.
   */
  private BenchFigure knnRecall(String searchUrl, List<float[]> vectors, List<String> workspaces) throws Exception {
    int count = Math.min(RECALL_QUERIES, vectors.size());
    int found = 0;
    int expected = 0;
    for (int i = 0; i < count; i++) {
      List<String> exact = ids(http(searchUrl, exactKnn(vectors.get(i), workspaces.get(i))));
      List<String> approximate = ids(http(searchUrl, rawKnn(vectors.get(i), workspaces.get(i))));
      expected += exact.size();
      found += (int) exact.stream().filter(approximate::contains).count();
    }
    double recall = expected == 0 ? 0 : (double) found / expected;
    out.printf("  %s: %.4f over %d queries%n", KNN_RECALL, recall, count);
    out.flush();
    return new BenchFigure(KNN_RECALL, recall * 100, "%", count + " queries, exact = knn_score script over the workspace");
  }

  private static List<String> ids(JsonNode response) {
    List<String> ids = new ArrayList<>();
    response.path("hits").path("hits").forEach(hit -> ids.add(hit.path("_id").asText()));
    return ids;
  }

  private void time(Latencies latencies, String url, String body) throws Exception {
    long started = System.nanoTime();
    http(url, body);
    latencies.add(System.nanoTime() - started);
  }

  /** The filtered k-NN query a client would send itself: the workspace filter inside the clause. */
  private static String rawKnn(float[] vector, String workspace) throws Exception {
    ObjectNode knn = JSON.createObjectNode();
    ObjectNode field = knn.putObject("knn").putObject("embedding");
    ArrayNode values = field.putArray("vector");
    for (float value : vector) {
      values.add(value);
    }
    field.put("k", 10);
    field.set("filter", workspaceFilter(workspace));
    ObjectNode request = JSON.createObjectNode();
    request.put("size", 10);
    request.putArray("_source").add("trajectory_id").add("summary").add("status").add("reward");
    request.set("query", knn);
    return JSON.writeValueAsString(request);
  }

  /** The exact top 10 of the workspace by cosine: the k-NN plugin's scoring script over every document. */
  private static String exactKnn(float[] vector, String workspace) throws Exception {
    ObjectNode request = JSON.createObjectNode();
    request.put("size", 10);
    request.put("_source", false);
    ObjectNode scriptScore = request.putObject("query").putObject("script_score");
    scriptScore.set("query", workspaceFilter(workspace));
    ObjectNode script = scriptScore.putObject("script");
    script.put("source", "knn_score").put("lang", "knn");
    ObjectNode params = script.putObject("params");
    params.put("field", "embedding").put("space_type", "cosinesimil");
    ArrayNode values = params.putArray("query_value");
    for (float value : vector) {
      values.add(value);
    }
    return JSON.writeValueAsString(request);
  }

  private static ObjectNode workspaceFilter(String workspace) {
    ObjectNode filter = JSON.createObjectNode();
    filter.putObject("bool").putArray("filter").addObject().putObject("terms").putArray("workspace").add(workspace);
    return filter;
  }

  private static String recall(String text, float[] vector, String workspace, String mode) throws Exception {
    Map<String, Object> request = new HashMap<>();
    request.put("workspace", workspace);
    request.put("query", text);
    request.put("k", 10);
    request.put("mode", mode);
    if (vector != null) {
      List<Float> values = new ArrayList<>(vector.length);
      for (float value : vector) {
        values.add(value);
      }
      request.put("vector", values);
    }
    return JSON.writeValueAsString(request);
  }

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  static JsonNode http(String url, String body) throws Exception {
    return http("POST", url, body);
  }

  private static JsonNode http(String method, String url, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json");
    request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() >= 300) {
      throw new IllegalStateException(method + " " + url + " answered " + response.statusCode() + ": " + response.body());
    }
    return JSON.readTree(response.body());
  }

  private BenchFigure report(BenchFigure figure) {
    out.println(figure.row());
    out.flush();
    return figure;
  }
}
