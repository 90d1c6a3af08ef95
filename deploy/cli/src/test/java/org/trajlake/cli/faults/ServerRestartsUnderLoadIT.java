package org.trajlake.cli.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.trajlake.stack.Component;
import org.trajlake.stack.LocalStack;
import org.trajlake.testkit.FreshStackConfig;

/**
 * The servers under the running pipeline fail one after the other while good trajectories and
 * outcomes keep arriving: the Kafka broker restarts, the registry restarts (its schemas, on H2 file
 * storage in the data dir, must survive with the same ids), and OpenSearch stops and starts. On a
 * stack of the test's own: restarting the shared one would break the tests running beside it. After
 * each, more good trajectories must get through; at the end, per workspace, the trajectories produced
 * equal the Iceberg rows and the index documents.
 */
class ServerRestartsUnderLoadIT {
  private static final Duration TIMEOUT = Duration.ofMinutes(2);
  private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\\d+)");
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

      // When the registry restarts, its schemas keep their ids
      String subject = pipeline.topics.events().name() + "-value";
      long before = schemaId(pipeline, subject);
      stack.stop(Set.of(Component.REGISTRY));
      stack.up(Set.of(Component.REGISTRY));
      assertThat(schemaId(pipeline, subject)).isEqualTo(before);
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

  private static long schemaId(TestPipeline pipeline, String subject) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(pipeline.servers.registryUrl() + "/subjects/" + subject + "/versions/latest")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    Matcher id = ID.matcher(response.body());
    assertThat(id.find()).as(response.body()).isTrue();
    return Long.parseLong(id.group(1));
  }
}
