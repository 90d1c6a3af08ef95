package org.trajlake.recall.query;

import java.util.ArrayList;
import java.util.List;
import org.opensearch.client.opensearch._types.query_dsl.Query;
import org.opensearch.client.opensearch.core.SearchRequest;
import org.opensearch.client.opensearch.core.search.SourceConfig;
import org.opensearch.client.opensearch.core.search.TrackHits;
import org.trajlake.recall.RecallRequest;
import org.trajlake.recall.index.IndexNames;

/**
 * The searches of a trajectory recall, on the {@code <prefix>trajectories} alias:
 *
 * <ul>
 *   <li>BM25 leg: a bool with every filter as a {@code filter} clause and a required
 *       {@code multi_match} (best fields) on summary (boost 2) and text (every step's content,
 *       tool, arguments and output);
 *   <li>k-NN leg: {@code knn} on embedding with the same filters inside the clause, so the Lucene
 *       engine searches only the allowed documents (efficient filtering; a post-filter could
 *       return fewer than k, or nothing, when the nearest vectors belong to another workspace);
 *   <li>native hybrid: one {@code hybrid} query holding both, for a search pipeline with a
 *       score-ranker processor, where the cluster has the neural-search plugin.
 * </ul>
 *
 * Results carry the trajectory fields and, when there is query text, the steps, from which the
 * matching ones are picked ({@code StepMatcher}); text and vectors stay in the index. A hybrid
 * recall fused here runs both legs over the window with their fields, so the fused top k need no
 * third round trip (measured at 100,000 trajectories: p95 19.2 ms against 20.9 ms with a ranking
 * pass and a fetch, both at window 20).
 */
public final class TrajectoryQueries {
  /** The fields a recalled trajectory returns. */
  public static final List<String> SOURCE_FIELDS = List.of("trajectory_id", "workspace", "agent_id", "task_id",
      "status", "reward", "label_status", "tags", "tools", "outcome_kinds", "started_at", "ended_at", "summary",
      "version", "rewarded_version");
  /** The fields the BM25 leg matches, the summary boosted. */
  static final List<String> BM25_FIELDS = List.of("summary^2", "text");
  /** The parts of the steps read to name the matching ones. */
  public static final List<String> STEP_FIELDS = List.of("steps.seq", "steps.kind", "steps.content",
      "steps.tool_call.name", "steps.tool_call.arguments", "steps.tool_result.output");

  /**
   * Recall never reports how many documents matched. Not counting them lets Lucene skip documents
   * that cannot reach the top hits (block-max WAND), where counting up to OpenSearch's default
   * 10,000 scores every document holding a common word of the query.
   */
  static final TrackHits NO_TOTAL = TrackHits.of(t -> t.enabled(false));

  private final IndexNames names;
  private final String hybridMinimumShouldMatch;

  /** Queries whose hybrid BM25 leg matches any term of the request. */
  public TrajectoryQueries(IndexNames names) {
    this(names, "");
  }

  /**
   * @param hybridMinimumShouldMatch OpenSearch's {@code minimum_should_match} for the BM25 leg of a
   *     hybrid recall ({@code 2<60%}: both terms of a two-term request, 60% of a longer one's, in one
   *     field); empty for any term. BM25 mode matches any term whatever this says.
   */
  public TrajectoryQueries(IndexNames names, String hybridMinimumShouldMatch) {
    this.names = names;
    this.hybridMinimumShouldMatch = hybridMinimumShouldMatch;
  }

  /** The BM25 leg with fields and steps, {@code size} hits: BM25 mode, any term matching. */
  public SearchRequest bm25(RecallRequest request, List<String> workspaces, int size) {
    return search(bm25Query(request, workspaces, ""), size, true);
  }

  /** The BM25 leg of a hybrid recall fused here: as {@link #bm25} but matching the hybrid leg's share of terms. */
  public SearchRequest hybridBm25(RecallRequest request, List<String> workspaces, int size) {
    return search(bm25Query(request, workspaces, hybridMinimumShouldMatch), size, true);
  }

  /**
   * The k-NN leg with fields, for vector mode: the {@code k} nearest allowed vectors, {@code size}
   * of them returned, with their steps when there is query text to match them against.
   */
  public SearchRequest knn(RecallRequest request, List<String> workspaces, float[] vector, int k, int size) {
    return search(knnQuery(request, workspaces, vector, k), size, !request.query().isEmpty());
  }

  /**
   * One {@code hybrid} query of both legs, ranked by the search pipeline named {@code pipeline}
   * (a score-ranker processor doing RRF). Each leg contributes its best {@code window} hits.
   */
  public SearchRequest nativeHybrid(RecallRequest request, List<String> workspaces, float[] vector, int window,
      int size, String pipeline) {
    Query bm25 = bm25Query(request, workspaces, hybridMinimumShouldMatch);
    Query knn = knnQuery(request, workspaces, vector, window);
    return new SearchRequest.Builder()
        .index(names.trajectories())
        .searchPipeline(pipeline)
        .size(size)
        .source(sourceFields(!request.query().isEmpty()))
        .query(q -> q.hybrid(h -> h.queries(bm25, knn).paginationDepth(window)))
        .build();
  }

  Query bm25Query(RecallRequest request, List<String> workspaces, String minimumShouldMatch) {
    List<Query> filters = SearchFilters.trajectories(request.filters(), workspaces);
    // best_fields: a trajectory scores by its better field, the summary counting double. A bool
    // summing the two matches scored the same hits but kept Lucene from skipping documents that
    // cannot reach the top (block-max WAND): 5.8 ms at p50 against 3.3 ms at 100,000 trajectories.
    String share = minimumShouldMatch.isEmpty() ? null : minimumShouldMatch;
    Query text = Query.of(q -> q.multiMatch(m -> m.query(request.query()).fields(BM25_FIELDS).minimumShouldMatch(share)));
    return Query.of(q -> q.bool(b -> b.filter(filters).must(text)));
  }

  Query knnQuery(RecallRequest request, List<String> workspaces, float[] vector, int k) {
    Query filter = SearchFilters.all(SearchFilters.trajectories(request.filters(), workspaces));
    return Query.of(q -> q.knn(knn -> knn.field("embedding").vector(floats(vector)).k(k).filter(filter)));
  }

  private SearchRequest search(Query query, int size, boolean withSteps) {
    return new SearchRequest.Builder()
        .index(names.trajectories())
        .size(size)
        .source(sourceFields(withSteps))
        .query(query)
        .trackTotalHits(NO_TOTAL)
        .build();
  }

  private static SourceConfig sourceFields(boolean withSteps) {
    List<String> fields = new ArrayList<>(SOURCE_FIELDS);
    if (withSteps) {
      fields.addAll(STEP_FIELDS);
    }
    return SourceConfig.of(s -> s.filter(f -> f.includes(fields)));
  }

  static List<Float> floats(float[] vector) {
    List<Float> values = new ArrayList<>(vector.length);
    for (float value : vector) {
      values.add(value);
    }
    return values;
  }
}
