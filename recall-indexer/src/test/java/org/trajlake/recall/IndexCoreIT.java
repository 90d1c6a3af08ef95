package org.trajlake.recall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch.core.GetResponse;
import org.opensearch.client.transport.OpenSearchTransport;
import org.trajlake.recall.embed.CachingEmbedder;
import org.trajlake.recall.embed.Embedder;
import org.trajlake.recall.embed.OnnxEmbedder;
import org.trajlake.recall.index.BulkFormat;
import org.trajlake.recall.index.DocumentWriter;
import org.trajlake.recall.index.IndexAdmin;
import org.trajlake.recall.index.IndexNames;
import org.trajlake.recall.index.OpenSearchClients;
import org.trajlake.recall.index.OpenSearchSettings;
import org.trajlake.recall.index.TextAnalysis;
import org.trajlake.recall.index.TrajectoryDocuments;
import org.trajlake.recall.index.VectorGraph;
import org.trajlake.schema.Trajectory;
import org.trajlake.schema.TrajectoryStatus;
import org.trajlake.stack.Component;
import org.trajlake.stack.Endpoints;
import org.trajlake.testkit.RealServers;

/** The derived mapping and versioned writes against a real OpenSearch node with the k-NN plugin. */
@RealServers(Component.OPENSEARCH)
class IndexCoreIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static Embedder embedder;
  private static OpenSearchTransport transport;

  @BeforeAll
  static void loadModel() {
    embedder = new CachingEmbedder(OnnxEmbedder.load(OnnxEmbedder.BGE_SMALL, 2), 1000);
  }

  @AfterAll
  static void close() throws Exception {
    embedder.close();
    if (transport != null) {
      transport.close();
    }
  }

  @Test
  void aNewerVersionReplacesAnOlderOneAndNeverTheOtherWayRound(Endpoints servers) throws Exception {
    // Given fresh indexes made from the derived mapping
    IndexNames names = new IndexNames("it-core-" + System.nanoTime() + "-");
    OpenSearchClient client = client(servers, names);
    TrajectoryDocuments documents = new TrajectoryDocuments(32);
    IndexAdmin admin = new IndexAdmin(transport, names);
    admin.ensure(embedder.model(), embedder.dimension(), IndexAdmin.IndexSettings.defaults(), documents);
    DocumentWriter writer = new DocumentWriter(client, names, embedder, false, admin.bulkFormat());
    Trajectory trajectory = Trajectories.coding("t1", "team-a", "OrderServiceTest times out on CI", "{\"cmd\":\"mvn test\"}",
        TrajectoryStatus.SUCCESS);

    // When the rewarded version is written, then the plain one (older) arrives late
    DocumentWriter.Result rewardedFirst = writer.write(List.of(documents.of(Trajectories.rewarded(trajectory, 0.8, 2))));
    DocumentWriter.Result plainLate = writer.write(List.of(documents.of(trajectory)));

    // Then the rewarded document stays, with its vector, tools and reward; the late one was a stale version
    assertThat(rewardedFirst.perTrajectory().get(0)).allMatch(DocumentWriter.ItemResult::ok).hasSize(2);
    assertThat(plainLate.perTrajectory().get(0)).allMatch(DocumentWriter.ItemResult::staleVersion);
    GetResponse<Map> doc = client.get(g -> g.index(names.trajectories()).id("t1"), Map.class);
    assertThat(doc.source()).containsEntry("reward", 0.8).containsEntry("label_status", "LABELED")
        .containsEntry("tools", List.of("bash")).containsEntry("outcome_kinds", List.of("pr_merged"))
        .containsEntry("embedding_source", OnnxEmbedder.BGE_SMALL);
    assertThat((List<?>) doc.source().get("embedding")).hasSize(384);
    GetResponse<Map> step = client.get(g -> g.index(names.steps()).id("t1#2"), Map.class);
    assertThat(step.source()).containsEntry("workspace", "team-a");
    assertThat(((Map<?, ?>) step.source().get("tool_result")).get("is_error")).isEqualTo(true);
  }

  @Test
  void anAgentVectorOfAllZerosIsReplacedByTheModelsOwn(Endpoints servers) throws Exception {
    // Given indexes, and a trajectory whose agent sent a vector of zeros (no direction: cosine cannot use it)
    IndexNames names = new IndexNames("it-zero-" + System.nanoTime() + "-");
    OpenSearchClient client = client(servers, names);
    TrajectoryDocuments documents = new TrajectoryDocuments(32);
    IndexAdmin admin = new IndexAdmin(transport, names);
    admin.ensure(embedder.model(), embedder.dimension(), IndexAdmin.IndexSettings.defaults(), documents);
    Trajectory zero = Trajectory.newBuilder(Trajectories.coding("z1", "team-a", "Upgrade Gradle", "{}", TrajectoryStatus.SUCCESS))
        .setEmbedding(java.util.Collections.nCopies(384, 0f)).build();

    // When it is written
    DocumentWriter.Result result = new DocumentWriter(client, names, embedder, false, admin.bulkFormat())
        .write(List.of(documents.of(zero)));

    // Then it is indexed with the model's vector instead of being rejected
    assertThat(result.perTrajectory().get(0)).allMatch(DocumentWriter.ItemResult::ok);
    GetResponse<Map> doc = client.get(g -> g.index(names.trajectories()).id("z1"), Map.class);
    assertThat(doc.source()).containsEntry("embedding_source", OnnxEmbedder.BGE_SMALL);
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void vectorsReadBackWhetherDerivedFromTheVectorIndexOrKeptInSource(boolean derivedSource, Endpoints servers)
      throws Exception {
    // Given indexes made with derived source on or off
    IndexNames names = new IndexNames("it-derived-" + derivedSource + "-" + System.nanoTime() + "-");
    OpenSearchClient client = client(servers, names);
    TrajectoryDocuments documents = new TrajectoryDocuments(32);
    IndexAdmin admin = new IndexAdmin(transport, names);
    admin.ensure(embedder.model(), embedder.dimension(), new IndexAdmin.IndexSettings(1, 0, "1s", derivedSource),
        documents);

    // When a trajectory is written, in the encoding the indexes take (JSON with derived source, else Smile)
    assertThat(admin.bulkFormat()).isEqualTo(derivedSource ? BulkFormat.JSON : BulkFormat.SMILE);
    DocumentWriter.Result result = new DocumentWriter(client, names, embedder, false, admin.bulkFormat())
        .write(List.of(documents.of(
        Trajectories.coding("d1", "team-a", "Flaky login test", "{}", TrajectoryStatus.SUCCESS))));

    // Then the index carries the setting, and the vector reads back either way (what the README's curl relies on)
    assertThat(result.perTrajectory().get(0)).allMatch(DocumentWriter.ItemResult::ok);
    String settings = get(servers, "/" + names.trajectories()
        + "/_settings/index.knn.derived_source.enabled?flat_settings=true");
    assertThat(settings).contains("\"index.knn.derived_source.enabled\":\"" + derivedSource + "\"");
    GetResponse<Map> doc = client.get(g -> g.index(names.trajectories()).id("d1"), Map.class);
    assertThat((List<?>) doc.source().get("embedding")).hasSize(384);
  }

  @Test
  void anIndexMadeElsewhereWithTheKnnDefaultsIsWrittenInJson(Endpoints servers) throws Exception {
    // Given aliases over indexes made without the indexer's template: a k-NN index with OpenSearch's
    // defaults (derived source on, from OpenSearch 3) and a plain one
    IndexNames names = new IndexNames("it-elsewhere-" + System.nanoTime() + "-");
    put(servers, "/" + names.trajectories() + "-000001",
        "{\"settings\":{\"index.knn\":true},\"aliases\":{\"" + names.trajectories() + "\":{}}}");
    put(servers, "/" + names.steps() + "-000001", "{\"aliases\":{\"" + names.steps() + "\":{}}}");
    client(servers, names);

    // Then the indexer would send them JSON: derived source refuses Smile documents
    assertThat(new IndexAdmin(transport, names).bulkFormat()).isEqualTo(BulkFormat.JSON);
  }

  @Test
  void theGraphParametersReachANewIndexAndAnIndexInUseKeepsItsOwn(Endpoints servers) throws Exception {
    // Given indexes made with an HNSW graph of m 12 and ef_construction 48
    IndexNames names = new IndexNames("it-graph-" + System.nanoTime() + "-");
    client(servers, names);
    TrajectoryDocuments documents = new TrajectoryDocuments(32);
    new IndexAdmin(transport, names).ensure(embedder.model(), embedder.dimension(),
        new IndexAdmin.IndexSettings(1, 0, "1s", false, new VectorGraph(12, 48)), documents);
    assertThat(graphOf(servers, names.trajectories())).isEqualTo(Map.of("m", 12, "ef_construction", 48));
    assertThat(graphOf(servers, names.steps())).isEqualTo(Map.of("m", 12, "ef_construction", 48));

    // When the service starts again with other parameters (OpenSearch cannot change a built graph's)
    new IndexAdmin(transport, names).ensure(embedder.model(), embedder.dimension(),
        new IndexAdmin.IndexSettings(1, 0, "1s", false, new VectorGraph(16, 64)), documents);

    // Then it starts, the indexes in use keep theirs, and the template gives the next index the new ones
    assertThat(graphOf(servers, names.trajectories())).isEqualTo(Map.of("m", 12, "ef_construction", 48));
    Map<?, ?> template = JSON.readValue(get(servers, "/_index_template/" + names.trajectories() + "*"),
        Map.class);
    assertThat(template.toString()).contains("ef_construction=64");
  }

  @Test
  void anIndexMadeWithTheStandardAnalyzerKeepsItWhenTheServiceStartsWithCodeAnalysis(Endpoints servers)
      throws Exception {
    // Given indexes made with OpenSearch's standard analyzer, as before code analysis was the default
    IndexNames names = new IndexNames("it-analysis-" + System.nanoTime() + "-");
    client(servers, names);
    TrajectoryDocuments documents = new TrajectoryDocuments(32);
    IndexAdmin admin = new IndexAdmin(transport, names);
    admin.ensure(embedder.model(), embedder.dimension(),
        new IndexAdmin.IndexSettings(1, 0, "1s", false, VectorGraph.DEFAULT, TextAnalysis.STANDARD), documents);
    assertThat(admin.textAnalysis(names.trajectories())).isEqualTo(TextAnalysis.STANDARD);

    // When the service starts again with the default, code analysis (OpenSearch cannot change an open index's)
    admin.ensure(embedder.model(), embedder.dimension(), IndexAdmin.IndexSettings.defaults(), documents);

    // Then it starts, the indexes in use keep the standard analyzer, and the template gives the next index code
    assertThat(admin.textAnalysis(names.trajectories())).isEqualTo(TextAnalysis.STANDARD);
    assertThat(admin.textAnalysis(names.steps())).isEqualTo(TextAnalysis.STANDARD);
    put(servers, "/" + names.trajectories() + "-000002", "{\"aliases\":{\"" + names.trajectories() + "\":{}}}");
    assertThat(admin.textAnalysis(names.trajectories())).as("one standard index behind the alias")
        .isEqualTo(TextAnalysis.STANDARD);
    assertThat(analyzedTokens(servers, names.trajectories() + "-000002", "testRefundFlow"))
        .containsExactlyInAnyOrder("testrefundflow", "test", "refund", "flow");
    assertThat(analyzedTokens(servers, names.trajectories() + "-000001", "testRefundFlow"))
        .containsExactly("testrefundflow");
  }

  @SuppressWarnings("unchecked")
  private static List<String> analyzedTokens(Endpoints servers, String index, String text) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(servers.openSearchUrl() + "/" + index + "/_analyze"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("text", text)))).build();
    Map<String, Object> answer = JSON.readValue(HttpClient.newHttpClient()
        .send(request, HttpResponse.BodyHandlers.ofString()).body(), Map.class);
    return ((List<Map<String, Object>>) answer.get("tokens")).stream().map(t -> (String) t.get("token")).toList();
  }

  @Test
  void deleteAllRemovesEveryIndexBehindBothAliasesAndBothTemplatesAndNothingElse(Endpoints servers)
      throws Exception {
    // Given two prefixes' indexes, the first with a second index behind its trajectories alias
    IndexNames gone = new IndexNames("it-drop-" + System.nanoTime() + "-");
    IndexNames kept = new IndexNames("it-drop-kept-" + System.nanoTime() + "-");
    client(servers, gone);
    TrajectoryDocuments documents = new TrajectoryDocuments(32);
    for (IndexNames names : List.of(gone, kept)) {
      new IndexAdmin(transport, names).ensure(embedder.model(), embedder.dimension(),
          IndexAdmin.IndexSettings.defaults(), documents);
    }
    put(servers, "/" + gone.trajectories() + "-000002", "{\"aliases\":{\"" + gone.trajectories() + "\":{}}}");

    // When the first prefix's are deleted, twice (the second time there is nothing left)
    new IndexAdmin(transport, gone).deleteAll();
    new IndexAdmin(transport, gone).deleteAll();

    // Then no index or template of it is left, and the other prefix's are untouched
    assertThat(get(servers, "/_cat/indices/" + gone.prefix() + "*?h=index").strip()).isEmpty();
    assertThat(get(servers, "/_cat/templates/" + gone.prefix() + "*?h=name").strip()).isEmpty();
    assertThat(get(servers, "/_cat/indices/" + kept.prefix() + "*?h=index").strip().split("\n")).hasSize(2);
    assertThat(get(servers, "/_cat/templates/" + kept.prefix() + "*?h=name").strip().split("\n")).hasSize(2);
  }

  /** The HNSW parameters of the embedding field of the index behind {@code alias}. */
  private static Map<?, ?> graphOf(Endpoints servers, String alias) throws Exception {
    Map<?, ?> mappings = JSON.readValue(get(servers, "/" + alias + "/_mapping/field/embedding"), Map.class);
    Map<?, ?> index = (Map<?, ?>) mappings.values().iterator().next();
    Map<?, ?> field = (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) index.get("mappings")).get("embedding")).get("mapping");
    Map<?, ?> method = (Map<?, ?>) ((Map<?, ?>) field.get("embedding")).get("method");
    return (Map<?, ?>) method.get("parameters");
  }

  private static String get(Endpoints servers, String path) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(servers.openSearchUrl() + path)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return response.body();
  }

  private static void put(Endpoints servers, String path, String body) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(servers.openSearchUrl() + path)).header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
  }

  @Test
  void anIndexBuiltForAnotherModelIsRefused(Endpoints servers) throws Exception {
    // Given indexes built for a 384-dimension model
    IndexNames names = new IndexNames("it-model-" + System.nanoTime() + "-");
    client(servers, names);
    TrajectoryDocuments documents = new TrajectoryDocuments(32);
    new IndexAdmin(transport, names).ensure("bge-small-en-v1.5-q", 384, IndexAdmin.IndexSettings.defaults(), documents);

    // When a service with another model starts on them, then it is refused with what to do
    assertThatThrownBy(() -> new IndexAdmin(transport, names).ensure("all-minilm-l6-v2", 384,
        IndexAdmin.IndexSettings.defaults(), documents))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("bge-small-en-v1.5-q")
        .hasMessageContaining("embedding.model=bge-small-en-v1.5-q");
  }

  private static OpenSearchClient client(Endpoints servers, IndexNames names) {
    if (transport == null) {
      transport = OpenSearchClients.transport(new OpenSearchSettings.Connection(servers.openSearchUrl(), "", "", names.prefix()));
    }
    return OpenSearchClients.client(transport);
  }
}
