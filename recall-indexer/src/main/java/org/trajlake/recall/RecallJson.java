package org.trajlake.recall;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The JSON of recall requests and results, as the HTTP endpoint and the MCP tools speak it: field
 * names in snake_case, as in the index. A trajectory recall:
 *
 * <pre>{@code
 * {"workspace": "team-a", "query": "test times out on CI", "k": 5, "mode": "hybrid",
 *  "filters": {"status": ["SUCCESS"], "tools": ["bash"], "agent_id": [...], "task_id": [...],
 *              "outcome_kinds": [...], "tags": [...], "reward": {"gte": 0.5, "lte": 1},
 *              "ended_at": {"from": "2026-11-01T00:00:00Z", "to": "2026-12-01T00:00:00Z"}}}
 * }</pre>
 *
 * A step recall takes filters {@code tools}, {@code is_error}, {@code agent_id}, {@code task_id}
 * and {@code ts}, and those of the trajectory a call belongs to: {@code status},
 * {@code outcome_kinds}, {@code tags}, {@code reward} and {@code ended_at}. A list filter takes a
 * string or an array; times take ISO-8601 or epoch milliseconds. Unknown fields are refused, so a typo never silently widens a recall.
 */
public final class RecallJson {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> TOP = Set.of("workspace", "query", "vector", "k", "mode", "filters");
  private static final Set<String> REWARD_BOUNDS = Set.of("gte", "lte");
  private static final Set<String> TIME_BOUNDS = Set.of("from", "to");

  private RecallJson() {}

  /**
   * @throws InvalidRequestException naming the field at fault
   */
  public static RecallRequest recallRequest(JsonNode body) {
    return request(body, RecallFilters.TRAJECTORY_FILTERS, RecallRequest::builder);
  }

  /**
   * @throws InvalidRequestException naming the field at fault
   */
  public static StepRecallRequest stepRecallRequest(JsonNode body) {
    return request(body, RecallFilters.TOOL_CALL_FILTERS, StepRecallRequest::builder);
  }

  public static ObjectNode toJson(RecallResult result) {
    ObjectNode json = JSON.createObjectNode();
    json.put("mode", result.mode().label());
    json.put("fusion", result.fusion());
    json.put("took_ms", result.tookMs());
    ArrayNode list = json.putArray("trajectories");
    for (RecalledTrajectory t : result.trajectories()) {
      ObjectNode item = list.addObject();
      item.put("trajectory_id", t.trajectoryId());
      item.put("score", t.score());
      item.put("bm25_rank", t.bm25Rank());
      item.put("vector_rank", t.vectorRank());
      item.put("workspace", t.workspace());
      item.put("agent_id", t.agentId());
      item.put("task_id", t.taskId());
      item.put("status", t.status());
      item.put("reward", t.reward());
      item.put("label_status", t.labelStatus());
      strings(item.putArray("tags"), t.tags());
      strings(item.putArray("tools"), t.tools());
      strings(item.putArray("outcome_kinds"), t.outcomeKinds());
      item.put("started_at", text(t.startedAt()));
      item.put("ended_at", text(t.endedAt()));
      item.put("summary", t.summary());
      item.put("version", t.version());
      item.put("rewarded_version", t.rewardedVersion());
      ArrayNode steps = item.putArray("matching_steps");
      for (MatchingStep step : t.matchingSteps()) {
        ObjectNode s = steps.addObject();
        s.put("seq", step.seq());
        s.put("kind", step.kind());
        s.put("snippet", step.snippet());
        s.put("tool", step.tool());
      }
    }
    return json;
  }

  public static ObjectNode toJson(StepRecallResult result) {
    ObjectNode json = JSON.createObjectNode();
    json.put("mode", result.mode().label());
    json.put("fusion", result.fusion());
    json.put("took_ms", result.tookMs());
    ArrayNode list = json.putArray("tool_calls");
    for (RecalledToolCall c : result.toolCalls()) {
      ObjectNode item = list.addObject();
      item.put("id", c.id());
      item.put("score", c.score());
      item.put("bm25_rank", c.bm25Rank());
      item.put("vector_rank", c.vectorRank());
      item.put("trajectory_id", c.trajectoryId());
      item.put("workspace", c.workspace());
      item.put("agent_id", c.agentId());
      item.put("task_id", c.taskId());
      item.put("status", c.status());
      item.put("reward", c.reward());
      item.put("seq", c.seq());
      item.put("ts", text(c.ts()));
      item.put("tool", c.tool());
      item.put("call_id", c.callId());
      item.put("arguments", c.arguments());
      item.put("output", c.output());
      item.put("is_error", c.isError());
      item.put("result_seq", c.resultSeq());
    }
    return json;
  }

  /** An error body: {@code {"error": message, "field": field}}, the field left out when null. */
  public static ObjectNode error(String message, String field) {
    ObjectNode json = JSON.createObjectNode();
    json.put("error", message);
    if (field != null) {
      json.put("field", field);
    }
    return json;
  }

  /**
   * Reads a request of either kind. The checks run in this order, which decides the fault named for
   * a body with several: the shape of the body and of its filters (names, ranges, is_error), the type
   * of each field, then the values, the filters' (as they are built) before the request's own.
   */
  private static <B extends RecallRequestBuilder<B, R>, R> R request(JsonNode body, Set<String> takenFilters,
      BiFunction<String, String, B> builderOf) {
    requireObject(body, null, "the request body must be a JSON object");
    known(body, TOP, "");
    JsonNode filters = filters(body, takenFilters);
    B builder = builderOf.apply(string(body, "workspace"), string(body, "query")).vector(vector(body.get("vector")));
    RecallFilters.Builder filterValues = filterValues(filters);
    JsonNode kNode = body.get("k");
    if (kNode != null && !kNode.isNull()) {
      if (!kNode.isIntegralNumber() || !kNode.canConvertToInt()) {
        throw new InvalidRequestException("k", "k must be a whole number between 1 and 100");
      }
      builder.k(kNode.intValue());
    }
    JsonNode modeNode = body.get("mode");
    if (modeNode != null && !modeNode.isNull()) {
      if (!modeNode.isTextual()) {
        throw new InvalidRequestException("mode", "mode must be one of \"hybrid\", \"bm25\", \"vector\"");
      }
      builder.mode(RecallMode.parse(modeNode.textValue()));
    }
    return builder.filters(filterValues.build()).build();
  }

  /** The filters object, its names and the shape of its ranges and of is_error checked; empty when absent. */
  private static JsonNode filters(JsonNode body, Set<String> taken) {
    JsonNode filters = body.get("filters");
    if (filters == null || filters.isNull()) {
      return JSON.createObjectNode();
    }
    requireObject(filters, "filters", "filters must be a JSON object");
    known(filters, taken, "filters.");
    range(filters, "reward", REWARD_BOUNDS);
    range(filters, "ended_at", TIME_BOUNDS);
    range(filters, "ts", TIME_BOUNDS);
    isError(filters);
    return filters;
  }

  /** The values of filters already checked by {@link #filters}; any filter absent is off. */
  private static RecallFilters.Builder filterValues(JsonNode filters) {
    return RecallFilters.builder()
        .agentIds(strings(filters, "agent_id"))
        .taskIds(strings(filters, "task_id"))
        .tools(strings(filters, "tools"))
        .statuses(strings(filters, "status"))
        .outcomeKinds(strings(filters, "outcome_kinds"))
        .tags(strings(filters, "tags"))
        .reward(number(filters, "reward", "gte"), number(filters, "reward", "lte"))
        .endedBetween(instant(filters, "ended_at", "from"), instant(filters, "ended_at", "to"))
        .isError(isError(filters))
        .calledBetween(instant(filters, "ts", "from"), instant(filters, "ts", "to"));
  }

  private static void range(JsonNode filters, String name, Set<String> bounds) {
    JsonNode range = filters.get(name);
    if (range == null || range.isNull()) {
      return;
    }
    requireObject(range, "filters." + name, "filters." + name + " must be an object with "
        + String.join(" and/or ", bounds.stream().sorted().toList()));
    known(range, bounds, "filters." + name + ".");
  }

  private static Boolean isError(JsonNode filters) {
    JsonNode isError = filters.get("is_error");
    if (isError == null || isError.isNull()) {
      return null;
    }
    if (!isError.isBoolean()) {
      throw new InvalidRequestException("filters.is_error", "filters.is_error must be true or false");
    }
    return isError.booleanValue();
  }

  private static void requireObject(JsonNode node, String field, String message) {
    if (node == null || !node.isObject()) {
      throw new InvalidRequestException(field, message);
    }
  }

  private static void known(JsonNode object, Set<String> allowed, String path) {
    for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!allowed.contains(name)) {
        throw Checks.unknownField(path, name, allowed);
      }
    }
  }

  private static String string(JsonNode object, String field) {
    JsonNode value = object.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw new InvalidRequestException(field, field + " must be a string");
    }
    return value.textValue();
  }

  private static List<String> strings(JsonNode filters, String name) {
    JsonNode value = filters.get(name);
    String field = "filters." + name;
    if (value == null || value.isNull()) {
      return List.of();
    }
    if (value.isTextual()) {
      return List.of(value.textValue());
    }
    if (!value.isArray()) {
      throw new InvalidRequestException(field, field + " must be a string or an array of strings");
    }
    List<String> values = new ArrayList<>();
    for (JsonNode item : value) {
      if (!item.isTextual()) {
        throw new InvalidRequestException(field, field + " must be a string or an array of strings");
      }
      values.add(item.textValue());
    }
    return values;
  }

  private static Double number(JsonNode filters, String range, String bound) {
    JsonNode value = filters.path(range).get(bound);
    String field = "filters." + range + "." + bound;
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isNumber()) {
      throw new InvalidRequestException(field, field + " must be a number");
    }
    return value.doubleValue();
  }

  private static Instant instant(JsonNode filters, String range, String bound) {
    JsonNode value = filters.path(range).get(bound);
    String field = "filters." + range + "." + bound;
    if (value == null || value.isNull()) {
      return null;
    }
    if (value.isIntegralNumber()) {
      return Instant.ofEpochMilli(value.longValue());
    }
    if (value.isTextual()) {
      try {
        return Instant.parse(value.textValue());
      } catch (DateTimeParseException e) {
        // fall through to the message below
      }
    }
    throw new InvalidRequestException(field,
        field + " must be an ISO-8601 instant (2026-11-21T10:00:00Z) or epoch milliseconds");
  }

  private static float[] vector(JsonNode value) {
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isArray()) {
      throw new InvalidRequestException("vector", "vector must be an array of numbers");
    }
    float[] vector = new float[value.size()];
    for (int i = 0; i < vector.length; i++) {
      JsonNode item = value.get(i);
      if (!item.isNumber()) {
        throw new InvalidRequestException("vector", "vector must be an array of numbers; item " + i + " is not");
      }
      vector[i] = item.floatValue();
    }
    return vector;
  }

  private static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }

  private static String text(Instant instant) {
    return instant == null ? null : instant.toString();
  }
}
