package org.trajlake.recall.query;

import java.util.ArrayList;
import java.util.List;
import org.opensearch.client.opensearch._types.query_dsl.ChildScoreMode;
import org.opensearch.client.opensearch._types.query_dsl.Query;
import org.opensearch.client.opensearch.core.SearchRequest;
import org.opensearch.client.opensearch.core.search.Highlight;
import org.opensearch.client.opensearch.core.search.HighlightField;
import org.opensearch.client.opensearch.core.search.InnerHits;
import org.opensearch.client.opensearch.core.search.SourceConfig;
import org.trajlake.recall.RecallRequest;
import org.trajlake.recall.index.IndexNames;

/**
 * The searches of a trajectory recall, on the {@code <prefix>trajectories} alias:
 *
 * <ul>
 *   <li>BM25 leg: a bool with every filter as a {@code filter} clause and, at least one of them
 *       required, {@code match} on summary (boost 2), {@code match} on text, and a {@code nested}
 *       multi_match on the steps whose inner hits name the matching steps;
 *   <li>k-NN leg: {@code knn} on embedding with the same filters inside the clause, so the Lucene
 *       engine searches only the allowed documents (efficient filtering; a post-filter could
 *       return fewer than k, or nothing, when the nearest vectors belong to another workspace);
 *   <li>native hybrid: one {@code hybrid} query holding both, for a search pipeline with a
 *       score-ranker processor, where the cluster has the neural-search plugin.
 * </ul>
 *
 * Results carry the trajectory fields only: steps, text and vectors stay in the index. A hybrid
 * recall fused here ranks with both legs returning ids alone ({@link #bm25Ranking},
 * {@link #knnRanking}), then fetches fields and matching steps for the fused top k only
 * ({@link #fetch}): a leg's window is 50 hits, and their sources and inner hits would cost more
 * than one more round trip.
 */
public final class TrajectoryQueries {
  /** The fields a recalled trajectory returns. */
  public static final List<String> SOURCE_FIELDS = List.of("trajectory_id", "workspace", "agent_id", "task_id",
      "status", "reward", "label_status", "tags", "tools", "outcome_kinds", "started_at", "ended_at", "summary",
      "version", "rewarded_version");
  /** The name of the inner hits that list a trajectory's matching steps. */
  public static final String MATCHING_STEPS = "matching_steps";
  public static final int MATCHING_STEPS_SIZE = 3;
  static final List<String> STEP_TEXT_FIELDS = List.of("steps.content", "steps.tool_call.arguments",
      "steps.tool_result.output");
  private static final int SNIPPET_CHARS = 200;

  private final IndexNames names;

  public TrajectoryQueries(IndexNames names) {
    this.names = names;
  }

  /** The BM25 leg with fields and matching steps, {@code size} hits: BM25 mode. */
  public SearchRequest bm25(RecallRequest request, List<String> workspaces, int size) {
    return search(bm25Query(request, workspaces, true), size);
  }

  /** The BM25 leg ranking only: ids, no fields, no inner hits. */
  public SearchRequest bm25Ranking(RecallRequest request, List<String> workspaces, int size) {
    return ranking(bm25Query(request, workspaces, false), size);
  }

  /**
   * The k-NN leg with fields, for vector mode: the {@code k} nearest allowed vectors, {@code size}
   * of them returned. With query text, a nested clause of boost 0 rides along: it changes no
   * score, but names the matching steps of the vector hits too.
   */
  public SearchRequest knn(RecallRequest request, List<String> workspaces, float[] vector, int k, int size) {
    Query knn = knnQuery(request, workspaces, vector, k);
    Query query = request.query().isEmpty() ? knn
        : Query.of(q -> q.bool(b -> b.must(knn).should(matchingSteps(request.query(), 0f, true))));
    return search(query, size);
  }

  /** The k-NN leg ranking only: the {@code k} nearest allowed vectors, ids alone. */
  public SearchRequest knnRanking(RecallRequest request, List<String> workspaces, float[] vector, int k) {
    return ranking(knnQuery(request, workspaces, vector, k), k);
  }

  /**
   * The fields and matching steps of the fused hits {@code ids}. The workspace filter is repeated:
   * the ids came from filtered legs, but no path reads a document without it.
   */
  public SearchRequest fetch(RecallRequest request, List<String> workspaces, List<String> ids) {
    Query query = Query.of(q -> q.bool(b -> {
      b.filter(SearchFilters.workspaces(workspaces)).filter(f -> f.ids(i -> i.values(ids)));
      if (!request.query().isEmpty()) {
        b.should(matchingSteps(request.query(), 0f, true));
      }
      return b;
    }));
    return search(query, ids.size());
  }

  /**
   * One {@code hybrid} query of both legs, ranked by the search pipeline named {@code pipeline}
   * (a score-ranker processor doing RRF). Each leg contributes its best {@code window} hits.
   */
  public SearchRequest nativeHybrid(RecallRequest request, List<String> workspaces, float[] vector, int window,
      int size, String pipeline) {
    Query bm25 = bm25Query(request, workspaces, true);
    Query knn = knnQuery(request, workspaces, vector, window);
    return new SearchRequest.Builder()
        .index(names.trajectories())
        .searchPipeline(pipeline)
        .size(size)
        .source(sourceFields())
        .query(q -> q.hybrid(h -> h.queries(bm25, knn).paginationDepth(window)))
        .build();
  }

  Query bm25Query(RecallRequest request, List<String> workspaces, boolean withSteps) {
    List<Query> filters = SearchFilters.trajectories(request, workspaces);
    List<Query> should = new ArrayList<>();
    should.add(Query.of(q -> q.match(m -> m.field("summary").query(v -> v.stringValue(request.query())).boost(2f))));
    should.add(Query.of(q -> q.match(m -> m.field("text").query(v -> v.stringValue(request.query())))));
    should.add(matchingSteps(request.query(), 1f, withSteps));
    // With filter clauses present, should clauses turn optional: require one, or every document of
    // the workspace would match with a score of zero.
    return Query.of(q -> q.bool(b -> b.filter(filters).should(should).minimumShouldMatch("1")));
  }

  Query knnQuery(RecallRequest request, List<String> workspaces, float[] vector, int k) {
    Query filter = SearchFilters.all(SearchFilters.trajectories(request, workspaces));
    return Query.of(q -> q.knn(knn -> knn.field("embedding").vector(floats(vector)).k(k).filter(filter)));
  }

  /** The nested query on the steps, with (when asked) up to three matching steps as inner hits, highlighted. */
  static Query matchingSteps(String text, float boost, boolean innerHits) {
    Query steps = Query.of(inner -> inner.multiMatch(m -> m.query(text).fields(STEP_TEXT_FIELDS)));
    if (!innerHits) {
      return Query.of(q -> q.nested(n -> n.path("steps").scoreMode(ChildScoreMode.Max).boost(boost).query(steps)));
    }
    Highlight.Builder highlight = new Highlight.Builder()
        .preTags("")
        .postTags("")
        .fragmentSize(SNIPPET_CHARS)
        .numberOfFragments(1);
    for (String field : STEP_TEXT_FIELDS) {
      highlight.fields(field, HighlightField.of(f -> f));
    }
    InnerHits hits = new InnerHits.Builder()
        .name(MATCHING_STEPS)
        .size(MATCHING_STEPS_SIZE)
        .source(s -> s.filter(f -> f.includes("steps.seq", "steps.kind", "steps.content", "steps.tool_call.name",
            "steps.tool_call.arguments", "steps.tool_result.output")))
        .highlight(highlight.build())
        .build();
    return Query.of(q -> q.nested(n -> n
        .path("steps")
        .scoreMode(ChildScoreMode.Max)
        .boost(boost)
        .query(steps)
        .innerHits(hits)));
  }

  private SearchRequest ranking(Query query, int size) {
    return new SearchRequest.Builder()
        .index(names.trajectories())
        .size(size)
        .source(s -> s.fetch(false))
        .query(query)
        .build();
  }

  private SearchRequest search(Query query, int size) {
    return new SearchRequest.Builder()
        .index(names.trajectories())
        .size(size)
        .source(sourceFields())
        .query(query)
        .build();
  }

  private static SourceConfig sourceFields() {
    return SourceConfig.of(s -> s.filter(f -> f.includes(SOURCE_FIELDS)));
  }

  static List<Float> floats(float[] vector) {
    List<Float> values = new ArrayList<>(vector.length);
    for (float value : vector) {
      values.add(value);
    }
    return values;
  }
}
