package org.trajlake.cli.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.trajlake.stack.Component;
import org.trajlake.stack.LocalStack;
import org.trajlake.testkit.FreshStackConfig;

/**
 * The servers under the running pipeline fail one after the other while good trajectories and
 * outcomes keep arriving: the Kafka broker restarts, the registry restarts (its schemas, on H2 file
 * storage in the data dir, must survive: every subject, every version, the same ids), and OpenSearch stops and starts. On a
 * stack of the test's own: restarting the shared one would break the tests running beside it. After
 * each, more good trajectories must get through; at the end, per workspace, the trajectories produced
 * equal the Iceberg rows and the index documents.
 */
class ServerRestartsUnderLoadIT {
  private static final Duration TIMEOUT = Duration.ofMinutes(2);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static LocalStack stack;

  @BeforeAll
  static void ownStack() {
    stack = new LocalStack(FreshStackConfig.builder("restarts").build());
    stack.up();
  }

  @AfterAll
  static void stopOwnStack() {
    if (stack != null) {
      stack.down();
    }
  }

  @Test
  void brokerRegistryAndOpenSearchRestartsUnderLoadLoseNothing() throws Exception {
    // Given the five services (trajlake run all) and trajectories arriving every 100 ms
    try (TestPipeline pipeline = TestPipeline.provision(stack.endpoints(), "restarts", Map.of());
        GoodLoad load = new GoodLoad(pipeline, "restarts", List.of("restarts-a", "restarts-b"), Duration.ofMillis(100))) {
      ServiceProcess all = pipeline.startAll();
      load.start();
      load.awaitMore(10, TIMEOUT);

      // When the broker stops and starts again
      stack.stop(Set.of(Component.KAFKA));
      stack.up(Set.of(Component.KAFKA));
      // Then trajectories get through again
      load.awaitMore(10, TIMEOUT);

      // When the registry restarts, every subject of the pipeline keeps its schemas with their ids
      Map<String, JsonNode> before = schemas(pipeline);
      assertThat(before.keySet()).as("the pipeline's subjects").hasSizeGreaterThanOrEqualTo(5);
      stack.stop(Set.of(Component.REGISTRY));
      stack.up(Set.of(Component.REGISTRY));
      assertThat(schemas(pipeline)).isEqualTo(before);
      load.awaitMore(10, TIMEOUT);

      // When OpenSearch stops while trajectories keep arriving, and starts again
      stack.stop(Set.of(Component.OPENSEARCH));
      load.awaitMore(10, TIMEOUT);
      stack.up(Set.of(Component.OPENSEARCH));
      load.awaitMore(10, TIMEOUT);
      Map<String, Set<String>> produced = load.stop();

      // Then per workspace the table and the index hold exactly the trajectories produced
      ClosingCheck.awaitEverywhere(pipeline, produced, TIMEOUT);
      assertThat(all.alive()).as(all.logText()).isTrue();
    }
  }

  /** Every version of every subject of the pipeline's topics: id, version and schema, by subject. */
  private static Map<String, JsonNode> schemas(TestPipeline pipeline) throws Exception {
    Map<String, JsonNode> schemas = new TreeMap<>();
    for (JsonNode subject : get(pipeline, "/subjects")) {
      if (subject.asText().startsWith(pipeline.prefix)) {
        ArrayNode versions = JSON.createArrayNode();
        for (JsonNode version : get(pipeline, "/subjects/" + subject.asText() + "/versions")) {
          JsonNode schema = get(pipeline, "/subjects/" + subject.asText() + "/versions/" + version.asText());
          versions.add(JSON.createObjectNode().put("id", schema.path("id").asLong())
              .put("version", schema.path("version").asInt()).put("schema", schema.path("schema").asText()));
        }
        schemas.put(subject.asText(), versions);
      }
    }
    return schemas;
  }

  private static JsonNode get(TestPipeline pipeline, String path) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(pipeline.servers.registryUrl() + path)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }
}
