package org.trajlake.recall.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opensearch.client.opensearch.core.SearchRequest;
import org.trajlake.recall.RecallFilters;
import org.trajlake.recall.RecallRequest;
import org.trajlake.recall.StepRecallRequest;
import org.trajlake.recall.index.IndexNames;

/** The JSON the queries send: the workspace filter everywhere, inside the k-NN clause, never as a post-filter. */
class TrajectoryQueriesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final float[] VECTOR = {0.6f, 0.8f};
  private final TrajectoryQueries queries = new TrajectoryQueries(new IndexNames("trajlake-"));
  private final RecallRequest request = RecallRequest.builder("team-a", "flaky test")
      .filters(RecallFilters.builder().tools(List.of("bash")).reward(0.5, null).build()).build();

  @Test
  void theBm25LegFiltersAndRequiresTheTextToMatch() throws Exception {
    // When the BM25 leg is built
    JsonNode body = json(queries.bm25(request, List.of("team-a", "org"), 50));

    // Then the workspaces and filters are filter clauses, and summary or text must match
    JsonNode bool = body.at("/query/bool");
    assertThat(bool.at("/filter/0/terms/workspace").toString()).isEqualTo("[\"team-a\",\"org\"]");
    assertThat(bool.at("/filter/1/terms/tools").toString()).isEqualTo("[\"bash\"]");
    assertThat(bool.at("/filter/2/range/reward/gte").asDouble()).isEqualTo(0.5);
    assertThat(bool.at("/must/0/multi_match/query").asText()).isEqualTo("flaky test");
    assertThat(bool.at("/must/0/multi_match/fields").toString()).isEqualTo("[\"summary^2\",\"text\"]");
    assertThat(bool.has("should")).isFalse();
    assertThat(body.at("/size").asInt()).isEqualTo(50);
    // and the steps come back in the source, to name the matching ones
    assertThat(body.at("/_source/includes").toString()).contains("steps.content", "steps.tool_call.arguments");
    assertThat(body.has("post_filter")).isFalse();
  }

  @Test
  void onlyTheHybridBm25LegAsksForTheConfiguredShareOfTerms() throws Exception {
    // Given queries whose hybrid BM25 leg needs 2<60% of the terms
    TrajectoryQueries strict = new TrajectoryQueries(new IndexNames("trajlake-"), "2<60%");

    // When the hybrid leg, BM25 mode's query and the native hybrid query are built
    JsonNode hybridLeg = json(strict.hybridBm25(request, List.of("team-a"), 10));
    JsonNode bm25Mode = json(strict.bm25(request, List.of("team-a"), 10));
    JsonNode nativeHybrid = json(strict.nativeHybrid(request, List.of("team-a"), VECTOR, 10, 10, "p"));

    // Then both hybrid forms carry minimum_should_match, and BM25 mode matches any term
    assertThat(hybridLeg.at("/query/bool/must/0/multi_match/minimum_should_match").asText()).isEqualTo("2<60%");
    assertThat(nativeHybrid.at("/query/hybrid/queries/0/bool/must/0/multi_match/minimum_should_match").asText())
        .isEqualTo("2<60%");
    assertThat(bm25Mode.at("/query/bool/must/0/multi_match").has("minimum_should_match")).isFalse();
    assertThat(json(queries.hybridBm25(request, List.of("team-a"), 10)).at("/query/bool/must/0/multi_match")
        .has("minimum_should_match")).isFalse();
  }

  @Test
  void theKnnLegCarriesTheSameFiltersInsideTheKnnClause() throws Exception {
    // When the k-NN leg is built
    JsonNode body = json(queries.knn(request, List.of("team-a"), VECTOR, 50, 50));

    // Then the filters sit inside the knn clause (efficient filtering), not beside it
    JsonNode knn = body.at("/query/knn/embedding");
    assertThat(knn.at("/k").asInt()).isEqualTo(50);
    assertThat(knn.at("/vector").size()).isEqualTo(2);
    assertThat(knn.at("/filter/bool/filter/0/terms/workspace").toString()).isEqualTo("[\"team-a\"]");
    assertThat(knn.at("/filter/bool/filter/1/terms/tools").toString()).isEqualTo("[\"bash\"]");
    assertThat(body.has("post_filter")).isFalse();
  }

  @Test
  void theNativeHybridQueryHoldsBothLegsAndNamesThePipeline() throws Exception {
    // When the native hybrid request is built for a cluster with neural-search
    SearchRequest search = queries.nativeHybrid(request, List.of("team-a"), VECTOR, 50, 10, "trajlake-recall-rrf");
    JsonNode body = json(search);

    // Then one hybrid query holds the BM25 bool and the filtered knn, and the pipeline ranks them
    assertThat(search.searchPipeline()).isEqualTo("trajlake-recall-rrf");
    assertThat(search.index()).containsExactly("trajlake-trajectories");
    JsonNode hybrid = body.at("/query/hybrid");
    assertThat(hybrid.at("/queries").size()).isEqualTo(2);
    assertThat(hybrid.at("/queries/0/bool/filter/0/terms/workspace").toString()).isEqualTo("[\"team-a\"]");
    assertThat(hybrid.at("/queries/1/knn/embedding/filter/bool/filter/0/terms/workspace").toString()).isEqualTo("[\"team-a\"]");
    assertThat(hybrid.at("/queries/1/knn/embedding/k").asInt()).isEqualTo(50);
    assertThat(hybrid.at("/pagination_depth").asInt()).isEqualTo(50);
    assertThat(body.at("/size").asInt()).isEqualTo(10);
  }

  @Test
  void thePipelineIsAScoreRankerDoingRrf() {
    // When the pipeline body is built
    JsonNode pipeline = JSON.valueToTree(NativeHybrid.pipeline(new ReciprocalRankFusion(60)));

    // Then it is one score-ranker processor with the rrf technique and the rank constant, legs weighing the same
    JsonNode combination = pipeline.at("/phase_results_processors/0/score-ranker-processor/combination");
    assertThat(combination.at("/technique").asText()).isEqualTo("rrf");
    assertThat(combination.at("/rank_constant").asInt()).isEqualTo(60);
    assertThat(combination.has("parameters")).isFalse();
    assertThat(NativeHybrid.pipelineName("trajlake-")).isEqualTo("trajlake-recall-rrf");
  }

  @Test
  void aWeightedPipelineGivesTheWeightsAsSharesInTheHybridQuerysOrder() {
    // When the legs weigh BM25 0.5 and vector 1
    JsonNode pipeline = JSON.valueToTree(NativeHybrid.pipeline(new ReciprocalRankFusion(60, 0.5, 1.0)));

    // Then the processor gets shares adding up to 1, BM25 (the hybrid query's first) first
    JsonNode weights = pipeline.at("/phase_results_processors/0/score-ranker-processor/combination/parameters/weights");
    assertThat(weights.size()).isEqualTo(2);
    assertThat(weights.get(0).asDouble()).isCloseTo(1.0 / 3, within(1e-12));
    assertThat(weights.get(1).asDouble()).isCloseTo(2.0 / 3, within(1e-12));
  }

  @Test
  void stepQueriesFilterByWorkspaceOnBothLegs() throws Exception {
    // Given a step recall of failed bash calls
    StepRecallRequest steps = StepRecallRequest.builder("team-a", "mvn test")
        .filters(RecallFilters.builder().tools(List.of("bash")).isError(true).build()).build();
    StepQueries stepQueries = new StepQueries(new IndexNames("trajlake-"));

    // When both legs are built
    JsonNode bm25 = json(stepQueries.bm25(steps, List.of("team-a"), 10));
    JsonNode knn = json(stepQueries.knn(steps, List.of("team-a"), VECTOR, 50, 10));

    // Then both carry the workspace, the tool and the error filter, on the steps alias
    assertThat(bm25.at("/query/bool/filter/0/terms/workspace").toString()).isEqualTo("[\"team-a\"]");
    assertThat(bm25.at("/query/bool/filter/1/terms/tool_call.name").toString()).isEqualTo("[\"bash\"]");
    assertThat(bm25.at("/query/bool/filter/2/term/tool_result.is_error/value").asBoolean()).isTrue();
    assertThat(knn.at("/query/knn/embedding/filter/bool/filter/0/terms/workspace").toString()).isEqualTo("[\"team-a\"]");
    assertThat(stepQueries.bm25(steps, List.of("team-a"), 10).index()).containsExactly("trajlake-steps");
  }

  private static JsonNode json(SearchRequest request) throws Exception {
    return JSON.readTree(request.toJsonString());
  }
}
