package org.trajlake.recall;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.opensearch.client.opensearch.core.search.Hit;
import org.trajlake.recall.query.ReciprocalRankFusion;

/** Turns search hits into the public result records. */
final class Hits {

  private Hits() {}

  static RecalledTrajectory trajectory(Hit<ObjectNode> hit, ReciprocalRankFusion.Fused rank, List<MatchingStep> steps) {
    JsonNode source = hit.source();
    return new RecalledTrajectory(hit.id(), rank.score(), rank.bm25Rank(), rank.vectorRank(),
        text(source, "workspace"), text(source, "agent_id"), text(source, "task_id"), text(source, "status"),
        number(source, "reward"), text(source, "label_status"), texts(source, "tags"), texts(source, "tools"),
        texts(source, "outcome_kinds"), instant(source, "started_at"), instant(source, "ended_at"),
        text(source, "summary"), source.path("version").asInt(1), source.path("rewarded_version").asLong(0),
        steps);
  }

  static RecalledToolCall toolCall(Hit<ObjectNode> hit, ReciprocalRankFusion.Fused rank) {
    JsonNode source = hit.source();
    JsonNode call = source.path("tool_call");
    JsonNode result = source.path("tool_result");
    return new RecalledToolCall(hit.id(), rank.score(), rank.bm25Rank(), rank.vectorRank(),
        text(source, "trajectory_id"), text(source, "workspace"), text(source, "agent_id"), text(source, "task_id"),
        text(source, "status"), number(source, "reward"), source.path("seq").asLong(), instant(source, "ts"),
        text(call, "name"), text(call, "call_id"), text(call, "arguments"), text(result, "output"),
        result.has("is_error") ? result.get("is_error").asBoolean() : null,
        source.hasNonNull("result_seq") ? source.get("result_seq").asLong() : null);
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  private static Double number(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || !value.isNumber() ? null : value.asDouble();
  }

  private static List<String> texts(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return List.of();
    }
    if (!value.isArray()) {
      return List.of(value.asText());
    }
    List<String> texts = new ArrayList<>();
    value.forEach(item -> texts.add(item.asText()));
    return List.copyOf(texts);
  }

  /** Dates are stored as epoch milliseconds. */
  private static Instant instant(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    return value.isNumber() ? Instant.ofEpochMilli(value.asLong()) : Instant.ofEpochMilli(Long.parseLong(value.asText()));
  }
}
