package org.trajlake.recall.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.trajlake.recall.Corpus;
import org.trajlake.recall.RecallApp;
import org.trajlake.recall.RecallFixtures;
import org.trajlake.recall.RunningRecall;
import org.trajlake.recall.TwoTeamsServed;
import org.trajlake.stack.Component;
import org.trajlake.stack.Endpoints;
import org.trajlake.testkit.RealServers;

/** The recall HTTP endpoint end to end: a started service on a real OpenSearch node. */
@RealServers(Component.OPENSEARCH)
class RecallHttpIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String CI_KEY = "ci-key-0123456789abcdef";
  private static TwoTeamsServed served;

  @BeforeAll
  static void startTwoServices(Endpoints servers) {
    served = new TwoTeamsServed(servers.openSearchUrl(), "http", "ci", CI_KEY);
  }

  @AfterAll
  static void stop() throws Exception {
    served.close();
  }

  @Test
  void aRecallAnswers200WithRankedTrajectoriesAndTheirMatchingSteps() throws Exception {
    // When a hybrid recall is posted
    HttpResponse<String> response = post(served.open(), "/v1/recall",
        "{\"workspace\":\"team-a\",\"query\":\"test waits on the real clock\",\"k\":3}", Map.of());

    // Then it answers 200 JSON with the paraphrased task first, in snake_case index fields
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.get("mode").asText()).isEqualTo("hybrid");
    assertThat(body.get("fusion").asText()).isEqualTo("rrf");
    assertThat(body.get("trajectories")).hasSize(3);
    JsonNode first = body.get("trajectories").get(0);
    assertThat(first.get("trajectory_id").asText()).isEqualTo(Corpus.CLOCK);
    assertThat(first.get("workspace").asText()).isEqualTo("team-a");
    assertThat(first.get("vector_rank").asInt()).isEqualTo(1);
    assertThat(first.get("reward").asDouble()).isEqualTo(0.9);
    assertThat(first.get("ended_at").asText()).endsWith("Z");
    assertThat(first.get("matching_steps").isArray()).isTrue();
    assertThat(first.has("steps")).isFalse();
    assertThat(first.has("embedding")).isFalse();
  }

  @Test
  void aStepRecallAnswers200WithToolCalls() throws Exception {
    // When failed bash calls are recalled
    HttpResponse<String> response = post(served.open(), "/v1/recall/steps",
        "{\"workspace\":\"team-a\",\"query\":\"InvoiceRoundingTest\",\"k\":2,\"filters\":{\"tools\":[\"bash\"],\"is_error\":true}}", Map.of());

    // Then the call comes back with its arguments and output
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode call = JSON.readTree(response.body()).get("tool_calls").get(0);
    assertThat(call.get("id").asText()).isEqualTo("invoice#2");
    assertThat(call.get("tool").asText()).isEqualTo("bash");
    assertThat(call.get("is_error").asBoolean()).isTrue();
    assertThat(call.get("output").asText()).contains("10.04");
  }

  @Test
  void badRequestsAnswer400NamingTheField() throws Exception {
    // Given requests wrong in each way a caller gets them wrong, with the field each must name
    List<String[]> cases = List.of(
        new String[] {"{\"workspace\":\"team-a\",\"query\":", "", "not valid JSON"},
        new String[] {"", "", "body is empty"},
        new String[] {"{\"query\":\"flaky\"}", "workspace", "workspace is required"},
        new String[] {"{\"workspace\":\"team a!\",\"query\":\"flaky\"}", "workspace", "malformed"},
        new String[] {"{\"workspace\":\"team-a\",\"query\":\"flaky\",\"mode\":\"semantic\"}", "mode", "unknown mode"},
        new String[] {"{\"workspace\":\"team-a\",\"query\":\"flaky\",\"k\":0}", "k", "between 1 and 100"},
        new String[] {"{\"workspace\":\"team-a\",\"query\":\"flaky\",\"k\":101}", "k", "between 1 and 100"},
        new String[] {"{\"workspace\":\"team-a\",\"query\":\"flaky\",\"vector\":[0.1,0.2,0.3]}", "vector", "384"},
        new String[] {"{\"workspace\":\"team-a\",\"query\":\"flaky\",\"filters\":{\"reward\":{\"gte\":0.9,\"lte\":0.1}}}",
            "filters.reward", "inverted"},
        new String[] {"{\"workspace\":\"team-a\",\"query\":\"flaky\",\"filters\":{\"status\":[\"DONE\"]}}", "filters.status", "unknown status"},
        new String[] {"{\"workspace\":\"team-a\",\"query\":\"flaky\",\"filter\":{}}", "filter", "unknown field"},
        new String[] {"{\"workspace\":\"team-a\",\"query\":\"\"}", "query", "query is required"});
    for (String[] c : cases) {
      // When each is posted
      HttpResponse<String> response = post(served.open(), "/v1/recall", c[0], Map.of());

      // Then each answers 400 with {"error": ..., "field": ...}
      assertThat(response.statusCode()).as(c[0]).isEqualTo(400);
      JsonNode error = JSON.readTree(response.body());
      assertThat(error.get("error").asText()).as(c[0]).contains(c[2]);
      if (c[1].isEmpty()) {
        assertThat(error.has("field")).as(c[0]).isFalse();
      } else {
        assertThat(error.get("field").asText()).as(c[0]).isEqualTo(c[1]);
      }
    }
  }

  @Test
  @Timeout(120)
  void aBodyOverOneMebibyteAnswers413() throws Exception {
    // When a huge body is posted, with its length or without it (chunked),
    // then it is refused before it is parsed, and the client reads the 413 rather than a reset
    // connection, every time (the server answered once while the client was still sending)
    String huge = "{\"workspace\":\"team-a\",\"query\":\"" + "x".repeat(1 << 20) + "\"}";
    byte[] bytes = huge.getBytes(StandardCharsets.UTF_8);
    URI recall = URI.create("http://127.0.0.1:" + served.open().port() + "/v1/recall");
    for (int i = 0; i < 10; i++) {
      assertThat(post(served.open(), "/v1/recall", huge, Map.of()).statusCode()).isEqualTo(413);
      HttpRequest chunked = HttpRequest.newBuilder(recall).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes))).build();
      assertThat(HTTP.send(chunked, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(413);
    }
  }

  @Test
  void withApiKeysARequestWithoutAKeyAnswers401() throws Exception {
    // When the guarded service gets a request without a key, or with an unknown one
    HttpResponse<String> none = post(served.guarded(), "/v1/recall", "{\"workspace\":\"team-a\",\"query\":\"flaky\"}", Map.of());
    HttpResponse<String> unknown = post(served.guarded(), "/v1/recall", "{\"workspace\":\"team-a\",\"query\":\"flaky\"}",
        Map.of("Authorization", "Bearer not-a-key-0123456789"));

    // Then both answer 401 saying what to send
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    assertThat(JSON.readTree(none.body()).get("error").asText()).contains("Authorization: Bearer");
    assertThat(unknown.statusCode()).isEqualTo(401);
    assertThat(JSON.readTree(unknown.body()).get("error").asText()).isEqualTo("unknown API key");
  }

  @Test
  void withApiKeysAWorkspaceTheKeyMayNotReadAnswers403() throws Exception {
    // When the team-a key asks for team-b, on either endpoint
    HttpResponse<String> recall = post(served.guarded(), "/v1/recall", "{\"workspace\":\"team-b\",\"query\":\"flaky\"}",
        Map.of("Authorization", "Bearer " + CI_KEY));
    HttpResponse<String> steps = post(served.guarded(), "/v1/recall/steps", "{\"workspace\":\"team-b\",\"query\":\"mvn\"}",
        Map.of("X-API-Key", CI_KEY));

    // Then both answer 403 naming the key and the workspace
    assertThat(recall.statusCode()).isEqualTo(403);
    JsonNode error = JSON.readTree(recall.body());
    assertThat(error.get("error").asText()).isEqualTo("API key 'ci' may not read workspace 'team-b'");
    assertThat(error.get("field").asText()).isEqualTo("workspace");
    assertThat(steps.statusCode()).isEqualTo(403);
  }

  @Test
  void withApiKeysTheKeysOwnWorkspaceAnswers200ByBearerOrHeader() throws Exception {
    // When the team-a key asks for team-a, as a bearer token and as X-API-Key
    HttpResponse<String> bearer = post(served.guarded(), "/v1/recall", "{\"workspace\":\"team-a\",\"query\":\"flaky\"}",
        Map.of("Authorization", "Bearer " + CI_KEY));
    HttpResponse<String> header = post(served.guarded(), "/v1/recall", "{\"workspace\":\"team-a\",\"query\":\"flaky\"}",
        Map.of("X-API-Key", CI_KEY));

    // Then both are served
    assertThat(bearer.statusCode()).isEqualTo(200);
    assertThat(header.statusCode()).isEqualTo(200);
  }

  @Test
  void healthAndMetricsStayOpenWithApiKeys() throws Exception {
    // When the guarded service is probed without a key, then health and metrics answer
    assertThat(get(served.guarded(), "/health").statusCode()).isEqualTo(200);
    assertThat(get(served.guarded(), "/metrics").statusCode()).isEqualTo(200);
  }

  @Test
  void healthIsUpWhileTheIndexesFitTheModel() throws Exception {
    // When health is asked
    HttpResponse<String> response = get(served.open(), "/health");

    // Then it is up
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(response.body()).get("status").asText()).isEqualTo("UP");
  }

  @Test
  void healthIsDownOnceAnIndexIsGone(Endpoints servers) throws Exception {
    // Given a service started on indexes that are then deleted
    try (RecallFixtures.TestIndex doomed = new RecallFixtures.TestIndex(servers.openSearchUrl(), "doomed");
        RunningRecall recall = RecallApp.start(doomed.config(Map.of()))) {
      doomed.client().indices().delete(d -> d.index(doomed.names().steps() + "-*"));

      // When health is asked
      HttpResponse<String> response = get(recall, "/health");

      // Then it answers 503 saying which index is missing
      assertThat(response.statusCode()).isEqualTo(503);
      JsonNode body = JSON.readTree(response.body());
      assertThat(body.get("status").asText()).isEqualTo("DOWN");
      assertThat(body.get("error").asText()).contains(doomed.names().steps()).contains("does not exist");
    }
  }

  @Test
  void metricsCountRequestsByStatusAndTimeThemByMode() throws Exception {
    // Given a served recall and a refused one
    post(served.open(), "/v1/recall", "{\"workspace\":\"team-a\",\"query\":\"flaky\",\"mode\":\"bm25\"}", Map.of());
    post(served.open(), "/v1/recall", "{\"workspace\":\"team-a\",\"query\":\"flaky\",\"k\":0}", Map.of());

    // When the metrics are scraped
    HttpResponse<String> response = get(served.open(), "/metrics");

    // Then requests are counted by endpoint and status, and latency has quantiles by mode
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
    assertThat(response.body())
        .containsPattern("trajlake_recall_requests_total\\{endpoint=\"recall\",service=\"recall\",status=\"200\"\\} [1-9]")
        .containsPattern("trajlake_recall_requests_total\\{endpoint=\"recall\",service=\"recall\",status=\"400\"\\} [1-9]")
        .contains("trajlake_recall_latency_seconds{endpoint=\"recall\",mode=\"bm25\",service=\"recall\",quantile=\"0.95\"}")
        .contains("quantile=\"0.5\"")
        .contains("quantile=\"0.99\"");
  }

  @Test
  void otherMethodsAndPathsAnswerJsonErrors() throws Exception {
    // When recall is asked with GET, or an unknown path is asked
    HttpResponse<String> wrongMethod = get(served.open(), "/v1/recall");
    HttpResponse<String> unknownPath = get(served.open(), "/v2/recall");

    // Then 405 and 404, both as JSON errors
    assertThat(wrongMethod.statusCode()).isEqualTo(405);
    assertThat(JSON.readTree(wrongMethod.body()).get("error").asText()).contains("POST");
    assertThat(unknownPath.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(unknownPath.body()).get("error").asText()).contains("/v1/recall");
  }

  static HttpResponse<String> post(RunningRecall recall, String path, String body, Map<String, String> headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + recall.port() + path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(request::header);
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> get(RunningRecall recall, String path) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + recall.port() + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
