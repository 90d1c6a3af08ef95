package org.trajlake.recall.mcp;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON schemas of the two tools: the same fields as the HTTP endpoint's requests. */
final class ToolSchemas {
  private ToolSchemas() {}

  static Map<String, Object> trajectoriesInput() {
    Map<String, Object> filters = new LinkedHashMap<>();
    filters.put("agent_id", strings("Only trajectories of these agents."));
    filters.put("task_id", strings("Only these task ids."));
    filters.put("tools", strings("Only trajectories that called one of these tools."));
    trajectoryFilters(filters, "trajectories", "the trajectory");
    return input("What to look for: the task at hand, an error message, a command.", filters);
  }

  static Map<String, Object> toolCallsInput() {
    Map<String, Object> filters = new LinkedHashMap<>();
    filters.put("tools", strings("Only calls of these tools."));
    filters.put("is_error", Map.of("type", "boolean",
        "description", "Only calls whose result was (true) or was not (false) an error."));
    filters.put("agent_id", strings("Only calls made by these agents."));
    filters.put("task_id", strings("Only calls made for these tasks."));
    filters.put("ts", range("When the call was made (ISO-8601).", "from", "to", "string"));
    trajectoryFilters(filters, "calls of trajectories", "the call's trajectory");
    return input("What to look for in tool arguments and outputs: a command, a path, an error.", filters);
  }

  /**
   * The filters on a trajectory's status, outcomes, tags, reward and end, which both tools take.
   *
   * @param what what they narrow ("trajectories", "calls of trajectories")
   * @param trajectory the trajectory whose fields they read ("the trajectory", "the call's trajectory")
   */
  private static void trajectoryFilters(Map<String, Object> filters, String what, String trajectory) {
    filters.put("status", Map.of("type", "array", "description", "Only " + what + " with these statuses.",
        "items", Map.of("type", "string", "enum", List.of("SUCCESS", "FAILURE", "ERROR", "ABORTED", "INCOMPLETE"))));
    filters.put("outcome_kinds",
        strings("Only " + what + " with one of these outcome kinds (pr_merged, tests_passed, ...)."));
    filters.put("tags", strings("Only " + what + " with one of these tags."));
    filters.put("reward", range("Reward range of " + trajectory + ".", "gte", "lte", "number"));
    filters.put("ended_at", range("When " + trajectory + " ended (ISO-8601).", "from", "to", "string"));
  }

  static Map<String, Object> trajectoriesOutput() {
    return output("trajectories");
  }

  static Map<String, Object> toolCallsOutput() {
    return output("tool_calls");
  }

  private static Map<String, Object> input(String query, Map<String, Object> filters) {
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("workspace", Map.of("type", "string", "pattern", "^[A-Za-z0-9._:-]{1,128}$",
        "description", "The workspace whose memory to read (it also reads its configured parents)."));
    properties.put("query", Map.of("type", "string", "description", query));
    properties.put("k", Map.of("type", "integer", "minimum", 1, "maximum", 100, "default", 10,
        "description", "How many results."));
    properties.put("mode", Map.of("type", "string", "enum", List.of("hybrid", "bm25", "vector"), "default", "hybrid",
        "description", "hybrid (default) fuses full text and vectors; bm25 finds exact words (ids, commands); "
            + "vector finds paraphrases."));
    properties.put("filters", Map.of("type", "object", "properties", filters, "additionalProperties", false));
    return Map.of("type", "object", "properties", properties, "required", List.of("workspace", "query"),
        "additionalProperties", false);
  }

  private static Map<String, Object> output(String list) {
    return Map.of("type", "object", "properties", Map.of(
        "mode", Map.of("type", "string"),
        "fusion", Map.of("type", "string"),
        "took_ms", Map.of("type", "integer"),
        list, Map.of("type", "array", "items", Map.of("type", "object"))),
        "required", List.of(list));
  }

  private static Map<String, Object> strings(String description) {
    return Map.of("type", "array", "items", Map.of("type", "string"), "description", description);
  }

  private static Map<String, Object> range(String description, String low, String high, String type) {
    return Map.of("type", "object", "description", description,
        "properties", Map.of(low, Map.of("type", type), high, Map.of("type", type)), "additionalProperties", false);
  }
}
