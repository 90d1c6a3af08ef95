package org.trajlake.recall.query;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.opensearch.client.json.JsonData;
import org.opensearch.client.opensearch._types.FieldValue;
import org.opensearch.client.opensearch._types.query_dsl.Query;
import org.opensearch.client.opensearch._types.query_dsl.RangeQuery;
import org.trajlake.recall.RecallFilters;

/**
 * The filter clauses of a recall. The workspace clause comes first and is never optional: every
 * query this package builds carries it, in the BM25 bool's filter and inside the k-NN clause alike.
 */
final class SearchFilters {
  static final String WORKSPACE = "workspace";

  private SearchFilters() {}

  static List<Query> trajectories(RecallFilters filters, List<String> workspaces) {
    List<Query> clauses = new ArrayList<>();
    clauses.add(workspaces(workspaces));
    terms(clauses, "agent_id", filters.agentIds());
    terms(clauses, "task_id", filters.taskIds());
    terms(clauses, "tools", filters.tools());
    trajectoryFields(clauses, filters);
    return clauses;
  }

  static List<Query> steps(RecallFilters filters, List<String> workspaces) {
    List<Query> clauses = new ArrayList<>();
    clauses.add(workspaces(workspaces));
    terms(clauses, "tool_call.name", filters.tools());
    terms(clauses, "agent_id", filters.agentIds());
    terms(clauses, "task_id", filters.taskIds());
    if (filters.isError() != null) {
      clauses.add(Query.of(q -> q.term(t -> t.field("tool_result.is_error").value(FieldValue.of(filters.isError())))));
    }
    range(clauses, "ts", millis(filters.calledFrom()), millis(filters.calledTo()));
    trajectoryFields(clauses, filters);
    return clauses;
  }

  /** The filters on a trajectory's status, outcomes, tags, reward and end: fields of both indexes' documents. */
  private static void trajectoryFields(List<Query> clauses, RecallFilters filters) {
    terms(clauses, "status", filters.statuses());
    terms(clauses, "outcome_kinds", filters.outcomeKinds());
    terms(clauses, "tags", filters.tags());
    range(clauses, "reward", number(filters.rewardGte()), number(filters.rewardLte()));
    range(clauses, "ended_at", millis(filters.endedFrom()), millis(filters.endedTo()));
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

  private static void terms(List<Query> clauses, String field, List<String> values) {
    if (!values.isEmpty()) {
      clauses.add(termsQuery(field, values));
    }
  }

  private static Query termsQuery(String field, List<String> values) {
    List<FieldValue> terms = values.stream().map(FieldValue::of).toList();
    return Query.of(q -> q.terms(t -> t.field(field).terms(v -> v.value(terms))));
  }

  /** A range clause, unless both bounds are open. */
  private static void range(List<Query> clauses, String field, JsonData gte, JsonData lte) {
    if (gte == null && lte == null) {
      return;
    }
    RangeQuery.Builder range = new RangeQuery.Builder().field(field);
    if (gte != null) {
      range.gte(gte);
    }
    if (lte != null) {
      range.lte(lte);
    }
    clauses.add(Query.of(q -> q.range(range.build())));
  }

  private static JsonData number(Double value) {
    return value == null ? null : JsonData.of(value);
  }

  /** Dates are mapped as epoch_millis: bounds go as numbers, never as strings in some other format. */
  private static JsonData millis(Instant value) {
    return value == null ? null : JsonData.of(value.toEpochMilli());
  }
}
