package org.trajlake.recall.query;

import java.util.List;
import org.opensearch.client.opensearch._types.query_dsl.Query;
import org.opensearch.client.opensearch.core.SearchRequest;
import org.opensearch.client.opensearch.core.search.SourceConfig;
import org.trajlake.recall.StepRecallRequest;
import org.trajlake.recall.index.IndexNames;

/**
 * The searches of a tool-call recall, on the {@code <prefix>steps} alias: the same two legs as
 * {@link TrajectoryQueries}, over the tool's arguments and output, with the workspace and the other
 * filters in the bool's filter and inside the k-NN clause; a hybrid recall fused here runs both
 * legs over the window with their fields, as {@link TrajectoryQueries} explains.
 */
public final class StepQueries {
  public static final List<String> SOURCE_FIELDS = List.of("trajectory_id", "workspace", "agent_id", "task_id",
      "status", "reward", "seq", "ts", "tool_call", "tool_result", "result_seq");
  static final List<String> TEXT_FIELDS = List.of("tool_call.arguments^2", "tool_result.output");

  private final IndexNames names;

  public StepQueries(IndexNames names) {
    this.names = names;
  }

  public SearchRequest bm25(StepRecallRequest request, List<String> workspaces, int size) {
    return search(bm25Query(request, workspaces), size);
  }

  public SearchRequest knn(StepRecallRequest request, List<String> workspaces, float[] vector, int k, int size) {
    return search(knnQuery(request, workspaces, vector, k), size);
  }

  public SearchRequest nativeHybrid(StepRecallRequest request, List<String> workspaces, float[] vector, int window,
      int size, String pipeline) {
    Query bm25 = bm25Query(request, workspaces);
    Query knn = knnQuery(request, workspaces, vector, window);
    return new SearchRequest.Builder()
        .index(names.steps())
        .searchPipeline(pipeline)
        .size(size)
        .source(sourceFields())
        .query(q -> q.hybrid(h -> h.queries(bm25, knn).paginationDepth(window)))
        .build();
  }

  Query bm25Query(StepRecallRequest request, List<String> workspaces) {
    List<Query> filters = SearchFilters.steps(request.filters(), workspaces);
    Query text = Query.of(q -> q.multiMatch(m -> m.query(request.query()).fields(TEXT_FIELDS)));
    return Query.of(q -> q.bool(b -> b.filter(filters).must(text)));
  }

  Query knnQuery(StepRecallRequest request, List<String> workspaces, float[] vector, int k) {
    Query filter = SearchFilters.all(SearchFilters.steps(request.filters(), workspaces));
    return Query.of(q -> q.knn(knn -> knn.field("embedding").vector(TrajectoryQueries.floats(vector)).k(k).filter(filter)));
  }

  private SearchRequest search(Query query, int size) {
    return new SearchRequest.Builder().index(names.steps()).size(size).source(sourceFields()).query(query)
        .trackTotalHits(TrajectoryQueries.NO_TOTAL).build();
  }

  private static SourceConfig sourceFields() {
    return SourceConfig.of(s -> s.filter(f -> f.includes(SOURCE_FIELDS)));
  }
}
