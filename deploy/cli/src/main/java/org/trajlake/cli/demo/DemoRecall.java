package org.trajlake.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;

/** The hot loop as an agent sees it: {@code POST /v1/recall} on the recall service, timed. */
final class DemoRecall {
  /** One answer and how long the call took end to end. */
  record Answer(JsonNode body, Duration latency) {
    JsonNode trajectories() {
      return body.path("trajectories");
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  private final String url;

  DemoRecall(String url) {
    this.url = url;
  }

  Answer recall(String query, int k, Double minReward) {
    return recall(query, k, minReward, null);
  }

  /** @param taskId when not null, only trajectories of this task (a structured filter) */
  Answer recall(String query, int k, Double minReward, String taskId) {
    ObjectNode request = JSON.createObjectNode().put("workspace", DemoFleet.WORKSPACE).put("query", query).put("k", k)
        .put("mode", "hybrid");
    ObjectNode filters = request.putObject("filters");
    if (minReward != null) {
      filters.putObject("reward").put("gte", minReward);
    }
    if (taskId != null) {
      filters.put("task_id", taskId);
    }
    HttpRequest http = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(request.toString())).build();
    long start = System.nanoTime();
    try {
      HttpResponse<String> response = HTTP.send(http, HttpResponse.BodyHandlers.ofString());
      Duration latency = Duration.ofNanos(System.nanoTime() - start);
      if (response.statusCode() == 503 || response.statusCode() == 504) {
        throw new Unavailable("recall answered " + response.statusCode() + ": " + response.body());
      }
      if (response.statusCode() != 200) {
        throw new IllegalStateException("recall answered " + response.statusCode() + ": " + response.body());
      }
      return new Answer(JSON.readTree(response.body()), latency);
    } catch (IOException e) {
      throw new IllegalStateException("recall at " + url + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /**
   * Recalls every 50 ms until {@code done} holds for an answer, or {@code timeout} passes: then null, or the
   * last {@link Unavailable} when the service was still answering 503/504 at the end.
   */
  Answer until(String query, int k, Double minReward, String taskId, Predicate<Answer> done, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    Unavailable stillUnavailable = null;
    while (Instant.now().isBefore(deadline)) {
      try {
        Answer answer = recall(query, k, minReward, taskId);
        if (done.test(answer)) {
          return answer;
        }
        stillUnavailable = null;
      } catch (Unavailable e) {
        // A node still warming up, or busy indexing the fleet's burst, can miss recall.timeout.ms once:
        // an agent would ask again, and so does the demo, within its deadline.
        stillUnavailable = e;
      }
      pause(50);
    }
    if (stillUnavailable != null) {
      throw stillUnavailable;
    }
    return null;
  }

  /** The service answered 503 or 504: OpenSearch failed or was too slow this time; asking again may succeed. */
  static final class Unavailable extends IllegalStateException {
    Unavailable(String message) {
      super(message);
    }
  }

  static boolean contains(Answer answer, String trajectoryId) {
    for (JsonNode hit : answer.trajectories()) {
      if (trajectoryId.equals(hit.path("trajectory_id").asText())) {
        return true;
      }
    }
    return false;
  }

  static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
