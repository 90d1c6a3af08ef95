package org.trajlake.recall.query;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.opensearch.client.json.JsonData;
import org.opensearch.client.opensearch._types.FieldValue;
import org.opensearch.client.opensearch._types.query_dsl.Query;
import org.opensearch.client.opensearch._types.query_dsl.RangeQuery;
import org.trajlake.recall.RecallRequest;
import org.trajlake.recall.StepRecallRequest;

/**
 * The filter clauses of a recall. The workspace clause comes first and is never optional: every
 * query this package builds carries it, in the BM25 bool's filter and inside the k-NN clause alike.
 */
final class SearchFilters {
  static final String WORKSPACE = "workspace";

  private SearchFilters() {}

  static List<Query> trajectories(RecallRequest request, List<String> workspaces) {
    List<Query> filters = new ArrayList<>();
    filters.add(workspaces(workspaces));
    terms(filters, "agent_id", request.agentIds());
    terms(filters, "task_id", request.taskIds());
    terms(filters, "tools", request.tools());
    terms(filters, "status", request.statuses());
    terms(filters, "outcome_kinds", request.outcomeKinds());
    terms(filters, "tags", request.tags());
    if (request.rewardGte() != null || request.rewardLte() != null) {
      filters.add(range("reward", number(request.rewardGte()), number(request.rewardLte())));
    }
    if (request.endedFrom() != null || request.endedTo() != null) {
      filters.add(range("ended_at", millis(request.endedFrom()), millis(request.endedTo())));
    }
    return filters;
  }

  static List<Query> steps(StepRecallRequest request, List<String> workspaces) {
    List<Query> filters = new ArrayList<>();
    filters.add(workspaces(workspaces));
    terms(filters, "tool_call.name", request.tools());
    terms(filters, "agent_id", request.agentIds());
    terms(filters, "task_id", request.taskIds());
    if (request.isError() != null) {
      filters.add(Query.of(q -> q.term(t -> t.field("tool_result.is_error").value(FieldValue.of(request.isError())))));
    }
    if (request.from() != null || request.to() != null) {
      filters.add(range("ts", millis(request.from()), millis(request.to())));
    }
    return filters;
  }

  /** All filters as one query, for the filter of a k-NN clause. */
  static Query all(List<Query> filters) {
    return Query.of(q -> q.bool(b -> b.filter(filters)));
  }

  static Query workspaces(List<String> workspaces) {
    if (workspaces.isEmpty()) {
      throw new IllegalArgumentException("a recall reads at least one workspace");
    }
    return termsQuery(WORKSPACE, workspaces);
  }

  private static void terms(List<Query> filters, String field, List<String> values) {
    if (!values.isEmpty()) {
      filters.add(termsQuery(field, values));
    }
  }

  private static Query termsQuery(String field, List<String> values) {
    List<FieldValue> terms = values.stream().map(FieldValue::of).toList();
    return Query.of(q -> q.terms(t -> t.field(field).terms(v -> v.value(terms))));
  }

  private static Query range(String field, JsonData gte, JsonData lte) {
    RangeQuery.Builder range = new RangeQuery.Builder().field(field);
    if (gte != null) {
      range.gte(gte);
    }
    if (lte != null) {
      range.lte(lte);
    }
    return Query.of(q -> q.range(range.build()));
  }

  private static JsonData number(Double value) {
    return value == null ? null : JsonData.of(value);
  }

  /** Dates are mapped as epoch_millis: bounds go as numbers, never as strings in some other format. */
  private static JsonData millis(Instant value) {
    return value == null ? null : JsonData.of(value.toEpochMilli());
  }
}
