package org.trajlake.recall.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.McpHttpClientTransportAuthorizationException;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.trajlake.recall.Corpus;
import org.trajlake.recall.RecallConfig;
import org.trajlake.recall.RunningRecall;
import org.trajlake.recall.TwoTeamsServed;
import org.trajlake.recall.index.OpenSearchSettings;
import org.trajlake.stack.Component;
import org.trajlake.stack.Endpoints;
import org.trajlake.testkit.RealServers;

/** The MCP tools through the official SDK's own client: over streamable HTTP and over stdio. */
@RealServers(Component.OPENSEARCH)
class McpIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY = "agent-key-0123456789abcdef";
  private static final String CLOCK_QUERY = "test waits on the real clock";
  private static TwoTeamsServed served;

  @BeforeAll
  static void start(Endpoints servers) {
    served = new TwoTeamsServed(servers.openSearchUrl(), "mcp", "agent", KEY);
  }

  @AfterAll
  static void stop() throws Exception {
    served.close();
  }

  @Test
  void bothToolsAreListedWithTheirSchemas() {
    try (McpSyncClient client = http(served.open(), null)) {
      // When the tools are listed
      List<McpSchema.Tool> tools = client.listTools().tools();

      // Then both recall tools are there, each requiring a workspace and a query
      assertThat(tools).extracting(McpSchema.Tool::name).containsExactlyInAnyOrder("recall_trajectories", "recall_tool_calls");
      for (McpSchema.Tool tool : tools) {
        assertThat(tool.inputSchema().get("required")).isEqualTo(List.of("workspace", "query"));
        assertThat(tool.annotations().readOnlyHint()).isTrue();
      }
    }
  }

  @Test
  void recallTrajectoriesReturnsTheExpectedTrajectoryAsTextAndStructuredContent() {
    try (McpSyncClient client = http(served.open(), null)) {
      // When an agent recalls trajectories like its task
      McpSchema.CallToolResult result = call(client, "recall_trajectories", Map.of("workspace", "team-a", "query", CLOCK_QUERY, "k", 3));

      // Then the earlier timing-out task comes first, readable as text and as structured content
      assertThat(result.isError()).isFalse();
      String text = ((McpSchema.TextContent) result.content().get(0)).text();
      assertThat(text).startsWith("3 trajectories from workspace team-a").contains("1. clock [SUCCESS, reward 0.90");
      JsonNode structured = JSON.valueToTree(result.structuredContent());
      assertThat(structured.at("/trajectories/0/trajectory_id").asText()).isEqualTo(Corpus.CLOCK);
      assertThat(structured.at("/trajectories/0/workspace").asText()).isEqualTo("team-a");
    }
  }

  @Test
  void recallToolCallsReturnsTheCallWithItsResult() {
    try (McpSyncClient client = http(served.open(), null)) {
      // When an agent recalls earlier failed calls of a command
      McpSchema.CallToolResult result = call(client, "recall_tool_calls", Map.of("workspace", "team-a",
          "query", "InvoiceRoundingTest", "k", 1, "filters", Map.of("is_error", true)));

      // Then the call comes back with its output
      assertThat(result.isError()).isFalse();
      String text = ((McpSchema.TextContent) result.content().get(0)).text();
      assertThat(text).contains("bash (error) in trajectory invoice step 2").contains("expected: <10.05>");
      assertThat(JSON.valueToTree(result.structuredContent()).at("/tool_calls/0/id").asText()).isEqualTo("invoice#2");
    }
  }

  @Test
  void aBadArgumentIsAToolErrorSayingWhatToChange() {
    try (McpSyncClient client = http(served.open(), null)) {
      // When the reward range is inverted (valid JSON for the schema, wrong for a recall)
      McpSchema.CallToolResult result = call(client, "recall_trajectories", Map.of("workspace", "team-a",
          "query", "flaky", "filters", Map.of("reward", Map.of("gte", 0.9, "lte", 0.1))));

      // Then the tool answers an error naming the field, which the agent can act on
      assertThat(result.isError()).isTrue();
      assertThat(((McpSchema.TextContent) result.content().get(0)).text())
          .isEqualTo("invalid request (filters.reward): filters.reward range is inverted: gte 0.9 is above lte 0.1");
    }
  }

  @Test
  void withApiKeysAClientWithoutAKeyCannotConnect() {
    // When a client without a key connects to the guarded service, then the session is refused (HTTP 401)
    assertThatThrownBy(() -> {
      try (McpSyncClient client = http(served.guarded(), null)) {
        client.listTools();
      }
    }).hasRootCauseInstanceOf(McpHttpClientTransportAuthorizationException.class);
  }

  @Test
  void withApiKeysTheToolsReadOnlyTheKeysWorkspaces() {
    try (McpSyncClient client = http(served.guarded(), KEY)) {
      // When the team-a key recalls team-a, then team-b
      McpSchema.CallToolResult own = call(client, "recall_trajectories", Map.of("workspace", "team-a", "query", CLOCK_QUERY));
      McpSchema.CallToolResult other = call(client, "recall_trajectories", Map.of("workspace", "team-b", "query", CLOCK_QUERY));

      // Then team-a is served and team-b is refused
      assertThat(own.isError()).isFalse();
      assertThat(other.isError()).isTrue();
      assertThat(((McpSchema.TextContent) other.content().get(0)).text()).isEqualTo("API key 'agent' may not read workspace 'team-b'");
      assertThat(other.structuredContent()).isNull();
    }
  }

  @Test
  void overStdioAnAgentSpawnsTheServerAndRecallsItsConfiguredWorkspaceOnly(Endpoints servers) {
    // Given the MCP server spawned as an agent would, allowed to read team-a
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> args = new ArrayList<>(List.of("-Xmx512m", "-cp", classpath, StdioRecallMain.class.getName()));
    for (Map.Entry<String, String> setting : Map.of(OpenSearchSettings.URL, servers.openSearchUrl(),
        OpenSearchSettings.INDEX_PREFIX, served.index().names().prefix(), RecallConfig.MCP_WORKSPACES, "team-a").entrySet()) {
      args.add("--set");
      args.add(setting.getKey() + "=" + setting.getValue());
    }
    StdioClientTransport transport = new StdioClientTransport(ServerParameters.builder(java).args(args).build(),
        new JacksonMcpJsonMapper(new ObjectMapper()));
    try (McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(60))
        .initializationTimeout(Duration.ofSeconds(60)).build()) {
      client.initialize();

      // When it lists its tools and recalls team-a, then team-b
      List<McpSchema.Tool> tools = client.listTools().tools();
      McpSchema.CallToolResult own = call(client, "recall_trajectories", Map.of("workspace", "team-a", "query", CLOCK_QUERY, "k", 1));
      McpSchema.CallToolResult other = call(client, "recall_trajectories", Map.of("workspace", "team-b", "query", CLOCK_QUERY, "k", 1));

      // Then both tools are there, team-a's trajectory comes back and team-b is refused
      assertThat(tools).hasSize(2);
      assertThat(own.isError()).isFalse();
      assertThat(JSON.valueToTree(own.structuredContent()).at("/trajectories/0/trajectory_id").asText()).isEqualTo(Corpus.CLOCK);
      assertThat(other.isError()).isTrue();
      assertThat(((McpSchema.TextContent) other.content().get(0)).text()).contains("may not read workspace 'team-b'");
    }
  }

  private static McpSyncClient http(RunningRecall recall, String apiKey) {
    HttpClientStreamableHttpTransport.Builder transport = HttpClientStreamableHttpTransport
        .builder("http://127.0.0.1:" + recall.port()).endpoint("/mcp");
    if (apiKey != null) {
      transport.addHttpRequestCustomizer((request, method, uri, body, context) -> request.header("X-API-Key", apiKey));
    }
    McpSyncClient client = McpClient.sync(transport.build()).requestTimeout(Duration.ofSeconds(30)).build();
    client.initialize();
    return client;
  }

  private static McpSchema.CallToolResult call(McpSyncClient client, String tool, Map<String, Object> arguments) {
    return client.callTool(McpSchema.CallToolRequest.builder(tool).arguments(arguments).build());
  }
}
