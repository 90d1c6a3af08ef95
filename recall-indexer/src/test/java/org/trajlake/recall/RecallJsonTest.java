package org.trajlake.recall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecallJsonTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aFullRequestIsReadWithEveryFilter() throws Exception {
    // Given a request with every filter, a list given as a plain string, times as ISO and epoch millis
    JsonNode body = JSON.readTree("""
        {"workspace": "team-a", "query": "flaky test", "k": 5, "mode": "BM25",
         "filters": {"agent_id": "coder@1", "task_id": ["t1", "t2"], "tools": ["bash"], "status": ["success"],
                     "outcome_kinds": ["pr_merged"], "tags": ["lang:java"], "reward": {"gte": 0.5, "lte": 1},
                     "ended_at": {"from": "2026-11-01T00:00:00Z", "to": 1796083200000}}}
        """);

    // When it is read
    RecallRequest request = RecallJson.recallRequest(body);

    // Then every field arrives
    assertThat(request.workspace()).isEqualTo("team-a");
    assertThat(request.k()).isEqualTo(5);
    assertThat(request.mode()).isEqualTo(RecallMode.BM25);
    RecallFilters filters = request.filters();
    assertThat(filters.agentIds()).containsExactly("coder@1");
    assertThat(filters.taskIds()).containsExactly("t1", "t2");
    assertThat(filters.tools()).containsExactly("bash");
    assertThat(filters.statuses()).containsExactly("SUCCESS");
    assertThat(filters.outcomeKinds()).containsExactly("pr_merged");
    assertThat(filters.tags()).containsExactly("lang:java");
    assertThat(filters.rewardGte()).isEqualTo(0.5);
    assertThat(filters.rewardLte()).isEqualTo(1.0);
    assertThat(filters.endedFrom()).isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
    assertThat(filters.endedTo()).isEqualTo(Instant.ofEpochMilli(1796083200000L));
  }

  @Test
  void anUnknownModeIsRefusedNamingTheModes() {
    // When the mode is not one of the three, then it is refused naming the field and the choices
    assertThatThrownBy(() -> RecallJson.recallRequest(JSON.readTree("{\"workspace\":\"a\",\"query\":\"q\",\"mode\":\"semantic\"}")))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("hybrid, bm25 or vector")
        .extracting(e -> ((InvalidRequestException) e).field()).isEqualTo("mode");
  }

  @Test
  void anUnknownFieldIsRefusedSoATypoNeverWidensARecall() {
    // When a filter name is misspelt, then the request is refused naming it
    assertThatThrownBy(() -> RecallJson.recallRequest(JSON.readTree(
        "{\"workspace\":\"a\",\"query\":\"q\",\"filters\":{\"statuses\":[\"SUCCESS\"]}}")))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("unknown field 'filters.statuses'")
        .extracting(e -> ((InvalidRequestException) e).field()).isEqualTo("filters.statuses");
  }

  @Test
  void wrongTypesAreRefusedNamingTheField() throws Exception {
    // When k is a string, a vector holds text, or a reward bound is not a number, then each names its field
    List<String[]> cases = List.of(
        new String[] {"{\"workspace\":\"a\",\"query\":\"q\",\"k\":\"5\"}", "k"},
        new String[] {"{\"workspace\":\"a\",\"query\":\"q\",\"k\":2.5}", "k"},
        new String[] {"{\"workspace\":\"a\",\"query\":\"q\",\"vector\":[1,\"x\"]}", "vector"},
        new String[] {"{\"workspace\":\"a\",\"query\":\"q\",\"filters\":{\"reward\":{\"gte\":\"high\"}}}", "filters.reward.gte"},
        new String[] {"{\"workspace\":\"a\",\"query\":\"q\",\"filters\":{\"ended_at\":{\"from\":\"yesterday\"}}}", "filters.ended_at.from"},
        new String[] {"{\"workspace\":7,\"query\":\"q\"}", "workspace"},
        new String[] {"[1,2]", null});
    for (String[] c : cases) {
      JsonNode body = JSON.readTree(c[0]);
      assertThatThrownBy(() -> RecallJson.recallRequest(body))
          .as(c[0])
          .isInstanceOf(InvalidRequestException.class)
          .extracting(e -> ((InvalidRequestException) e).field()).isEqualTo(c[1]);
    }
  }

  @Test
  void aStepRequestReadsItsOwnFilters() throws Exception {
    // Given a step recall with tools, is_error, a time range and its trajectory's status and reward
    JsonNode body = JSON.readTree("""
        {"workspace": "team-a", "query": "mvn test", "filters": {"tools": "bash", "is_error": true,
         "ts": {"from": "2026-11-01T00:00:00Z"}, "status": "success", "reward": {"gte": 0.5}}}
        """);

    // When it is read
    StepRecallRequest request = RecallJson.stepRecallRequest(body);

    // Then the filters arrive, and a filter no tool-call document carries is not accepted
    assertThat(request.filters().tools()).containsExactly("bash");
    assertThat(request.filters().isError()).isTrue();
    assertThat(request.filters().calledFrom()).isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
    assertThat(request.filters().statuses()).containsExactly("SUCCESS");
    assertThat(request.filters().rewardGte()).isEqualTo(0.5);
    assertThatThrownBy(() -> RecallJson.stepRecallRequest(JSON.readTree(
        "{\"workspace\":\"a\",\"query\":\"q\",\"filters\":{\"label_status\":\"LABELED\"}}")))
        .isInstanceOf(InvalidRequestException.class)
        .extracting(e -> ((InvalidRequestException) e).field()).isEqualTo("filters.label_status");
  }

  @Test
  void resultsUseTheIndexFieldNames() {
    // Given a result with one trajectory and one matching step
    RecalledTrajectory t = new RecalledTrajectory("t1", 0.03, 1, null, "team-a", "coder@1", "task-1", "SUCCESS", 0.8,
        "LABELED", List.of("lang:java"), List.of("bash"), List.of("pr_merged"), Instant.parse("2026-11-01T10:00:00Z"),
        Instant.parse("2026-11-01T10:00:05Z"), "task-1: fix it", 1, 2, List.of(new MatchingStep(2, "TOOL_CALL", "mvn test", "bash")));
    RecallResult result = new RecallResult(RecallMode.HYBRID, "rrf", 12, List.of(t));

    // When it is written
    JsonNode json = RecallJson.toJson(result);

    // Then field names are snake_case as in the index, times are ISO-8601, absent ranks are null
    JsonNode item = json.get("trajectories").get(0);
    assertThat(json.get("mode").asText()).isEqualTo("hybrid");
    assertThat(item.get("trajectory_id").asText()).isEqualTo("t1");
    assertThat(item.get("bm25_rank").asInt()).isEqualTo(1);
    assertThat(item.get("vector_rank").isNull()).isTrue();
    assertThat(item.get("label_status").asText()).isEqualTo("LABELED");
    assertThat(item.get("ended_at").asText()).isEqualTo("2026-11-01T10:00:05Z");
    assertThat(item.get("rewarded_version").asLong()).isEqualTo(2);
    assertThat(item.get("matching_steps").get(0).get("tool").asText()).isEqualTo("bash");
  }
}
