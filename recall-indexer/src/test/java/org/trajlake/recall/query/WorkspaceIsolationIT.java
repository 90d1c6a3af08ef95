package org.trajlake.recall.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.trajlake.recall.Corpus;
import org.trajlake.recall.RecallApp;
import org.trajlake.recall.RecallConfig;
import org.trajlake.recall.RecallFixtures;
import org.trajlake.recall.RecallMode;
import org.trajlake.recall.RecallRequest;
import org.trajlake.recall.RecallResult;
import org.trajlake.recall.RecallService;
import org.trajlake.recall.RecalledToolCall;
import org.trajlake.recall.RecalledTrajectory;
import org.trajlake.recall.RunningRecall;
import org.trajlake.recall.StepRecallRequest;
import org.trajlake.stack.Component;
import org.trajlake.stack.Endpoints;
import org.trajlake.testkit.RealServers;

/**
 * A recall never returns another workspace's memory: team-b holds the same six trajectories as
 * team-a, plus 60 whose vectors are nearer to the query than anything of team-a's. Whatever the
 * mode, endpoint or query, team-a sees only its own (and, when configured, its parent's).
 */
@RealServers(Component.OPENSEARCH)
class WorkspaceIsolationIT {
  private static final String TEAM_A = "team-a";
  private static final String TEAM_B = "team-b";
  private static final String ORG = "org";
  private static final int DECOYS = 60;
  private static final List<String> QUERIES = List.of("test waits on the real clock", "InvoiceRoundingTest#halfEven",
      "Nearest neighbour decoy", "fix the NullPointerException", "changelog entry for every pull request");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static RecallFixtures.TestIndex index;
  private static float[] query;
  private static RecallService isolated;
  private static RecallService inheriting;

  @BeforeAll
  static void indexThreeWorkspaces(Endpoints servers) {
    index = new RecallFixtures.TestIndex(servers.openSearchUrl(), "isolation");
    Random random = new Random(42);
    query = normalise(randomVector(random, 1.0f));
    List<Object> trajectories = new ArrayList<>();
    trajectories.addAll(Corpus.team(TEAM_A, "a-"));
    trajectories.addAll(Corpus.team(TEAM_B, "b-"));
    // team-a's best vector match: cosine 0.6 with the query
    float[] far = normalise(mix(query, 0.6f, orthogonalTo(query, random), 0.8f));
    trajectories.add(RecallFixtures.trajectory("a-far", TEAM_A, "Nearest neighbour decoy, far away").vector(far).build());
    // team-b's 60 near-duplicates of the query vector: all nearer than a-far, more than a leg's window
    for (int i = 0; i < DECOYS; i++) {
      float[] near = normalise(mix(query, 1.0f, randomVector(random, 1.0f), 0.05f));
      trajectories.add(RecallFixtures.trajectory("b-near-" + i, TEAM_B, "Nearest neighbour decoy " + i)
          .call("bash", "{\"cmd\":\"mvn -pl billing test -Dtest=InvoiceRoundingTest#halfEven\"}", "ok", false)
          .vector(near).build());
    }
    trajectories.add(RecallFixtures.trajectory("org-changelog", ORG, "Company rule: every pull request needs a changelog entry")
        .call("write_file", "{\"path\":\"CHANGELOG.md\"}", "written", false).build());
    index.write(trajectories);
    isolated = index.service(Map.of());
    inheriting = index.service(Map.of("recall.workspace.team-a.parents", ORG));
  }

  @AfterAll
  static void close() throws Exception {
    index.close();
  }

  @Test
  void noModeOrQueryReturnsAnotherWorkspacesTrajectory() {
    // When team-a recalls with every query in every mode, by text and by the decoys' nearest vector
    List<RecalledTrajectory> seen = new ArrayList<>();
    for (String text : QUERIES) {
      for (RecallMode mode : RecallMode.values()) {
        seen.addAll(isolated.recall(RecallRequest.builder(TEAM_A, text).mode(mode).k(100).build()).trajectories());
        if (mode != RecallMode.BM25) {
          seen.addAll(isolated.recall(RecallRequest.builder(TEAM_A, text).vector(query).mode(mode).k(100).build()).trajectories());
        }
      }
    }

    // Then team-a found plenty, and every one of them is team-a's
    assertThat(seen).hasSizeGreaterThan(50);
    assertThat(seen).allSatisfy(t -> {
      assertThat(t.workspace()).isEqualTo(TEAM_A);
      assertThat(t.trajectoryId()).startsWith("a-");
    });
  }

  @Test
  void anotherWorkspacesNearestVectorsNeverCrowdOutTheWorkspacesOwn() {
    // When team-a recalls by the vector team-b's 60 decoys sit closest to
    RecallResult result = isolated.recall(RecallRequest.builder(TEAM_A, null).vector(query).mode(RecallMode.VECTOR).k(3).build());

    // Then team-a's own nearest comes first: the filter ran inside the k-NN search, not after it
    assertThat(result.trajectories()).hasSize(3);
    assertThat(result.trajectories().get(0).trajectoryId()).isEqualTo("a-far");
    assertThat(result.trajectories().get(0).score()).isBetween(0.75, 0.85); // (1 + cosine 0.6) / 2
  }

  @Test
  void parentsAreReadOnlyWhenConfiguredAndNeverTheOtherWayRound() {
    // Given org's changelog rule, and team-a configured to read org
    RecallRequest fromTeamA = RecallRequest.builder(TEAM_A, "changelog entry for every pull request").k(3).build();

    // When team-a recalls with and without the parent, and org recalls team-a's work
    List<String> withParent = ids(inheriting.recall(fromTeamA));
    List<String> withoutParent = ids(isolated.recall(fromTeamA));
    List<String> fromOrg = ids(inheriting.recall(RecallRequest.builder(ORG, "OrderServiceTest").mode(RecallMode.BM25).build()));

    // Then team-a sees org's rule only through the configured parent, and org never sees team-a
    assertThat(withParent.get(0)).isEqualTo("org-changelog");
    assertThat(withParent).noneMatch(id -> id.startsWith("b-"));
    assertThat(withoutParent).doesNotContain("org-changelog");
    assertThat(fromOrg).isEmpty();
  }

  @Test
  void stepRecallNeverCrossesWorkspaces() {
    // When team-a recalls tool calls that team-b ran 61 times, in every mode
    List<RecalledToolCall> seen = new ArrayList<>();
    for (RecallMode mode : RecallMode.values()) {
      seen.addAll(isolated.recallSteps(StepRecallRequest.builder(TEAM_A, "mvn -pl billing test -Dtest=InvoiceRoundingTest#halfEven")
          .mode(mode).k(100).build()).toolCalls());
    }

    // Then only team-a's calls come back
    assertThat(seen).isNotEmpty();
    assertThat(seen).allSatisfy(call -> {
      assertThat(call.workspace()).isEqualTo(TEAM_A);
      assertThat(call.trajectoryId()).startsWith("a-");
    });
  }

  @Test
  void theHttpAndMcpEndpointsKeepWorkspacesApartToo(Endpoints servers) throws Exception {
    // Given the recall service running with its HTTP and MCP endpoints
    RecallConfig config = index.config(Map.of());
    try (RunningRecall recall = RecallApp.start(config)) {
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + recall.port();
      List<String> ids = new ArrayList<>();

      // When team-a recalls through both HTTP endpoints with the decoys' vector and text, in every mode
      for (RecallMode mode : RecallMode.values()) {
        String body = JSON.writeValueAsString(Map.of("workspace", TEAM_A, "query", "Nearest neighbour decoy InvoiceRoundingTest",
            "mode", mode.label(), "k", 100, "vector", query));
        for (String path : List.of("/v1/recall", "/v1/recall/steps")) {
          HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + path))
              .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json").build(),
              HttpResponse.BodyHandlers.ofString());
          assertThat(response.statusCode()).isEqualTo(200);
          JsonNode list = JSON.readTree(response.body()).path(path.endsWith("steps") ? "tool_calls" : "trajectories");
          list.forEach(item -> ids.add(item.get("workspace").asText() + "/" + item.get("trajectory_id").asText()));
        }
      }
      // and through the MCP tools
      try (McpSyncClient mcp = McpClient.sync(HttpClientStreamableHttpTransport.builder(base).endpoint("/mcp").build()).build()) {
        mcp.initialize();
        for (String tool : List.of("recall_trajectories", "recall_tool_calls")) {
          McpSchema.CallToolResult result = mcp.callTool(McpSchema.CallToolRequest.builder(tool).arguments(Map.of(
              "workspace", TEAM_A, "query", "Nearest neighbour decoy InvoiceRoundingTest", "k", 100)).build());
          assertThat(result.isError()).isFalse();
          JsonNode structured = JSON.valueToTree(result.structuredContent());
          structured.path(tool.equals("recall_tool_calls") ? "tool_calls" : "trajectories")
              .forEach(item -> ids.add(item.get("workspace").asText() + "/" + item.get("trajectory_id").asText()));
        }
      }

      // Then everything that came back is team-a's
      assertThat(ids).hasSizeGreaterThan(10);
      assertThat(ids).allMatch(id -> id.startsWith(TEAM_A + "/a-"), "only team-a's own trajectories");
    }
  }

  private static List<String> ids(RecallResult result) {
    return result.trajectories().stream().map(RecalledTrajectory::trajectoryId).toList();
  }

  private static float[] randomVector(Random random, float scale) {
    float[] vector = new float[RecallFixtures.embedder().dimension()];
    for (int i = 0; i < vector.length; i++) {
      vector[i] = (float) random.nextGaussian() * scale;
    }
    return vector;
  }

  private static float[] orthogonalTo(float[] unit, Random random) {
    float[] vector = randomVector(random, 1.0f);
    float dot = 0;
    for (int i = 0; i < vector.length; i++) {
      dot += vector[i] * unit[i];
    }
    for (int i = 0; i < vector.length; i++) {
      vector[i] -= dot * unit[i];
    }
    return normalise(vector);
  }

  private static float[] mix(float[] a, float wa, float[] b, float wb) {
    float[] mixed = new float[a.length];
    for (int i = 0; i < a.length; i++) {
      mixed[i] = wa * a[i] + wb * b[i];
    }
    return mixed;
  }

  private static float[] normalise(float[] vector) {
    double norm = 0;
    for (float value : vector) {
      norm += value * value;
    }
    float[] unit = new float[vector.length];
    for (int i = 0; i < vector.length; i++) {
      unit[i] = (float) (vector[i] / Math.sqrt(norm));
    }
    return unit;
  }

  private static McpSchema.CallToolResult call(McpSyncClient client, String tool, Map<String, Object> arguments) {
    return client.callTool(McpSchema.CallToolRequest.builder(tool).arguments(arguments).build());
  }
}
