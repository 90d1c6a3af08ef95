package org.trajlake.recall.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.trajlake.recall.Corpus;
import org.trajlake.recall.RecallFixtures;
import org.trajlake.stack.Component;
import org.trajlake.stack.Endpoints;
import org.trajlake.testkit.RealServers;

/**
 * The OpenSearch query API alone is enough to recall: the two curl commands the README documents,
 * run as they are written (only the address and the index prefix swapped for the test cluster's).
 */
@RealServers(Component.OPENSEARCH)
class OpenSearchQueryApiIT {
  /** Filtered k-NN: team-a's successful, well-rewarded trajectories nearest to trajectory "clock". */
  static final String FILTERED_KNN = """
      VECTOR=$(curl -s 'http://127.0.0.1:9200/trajlake-trajectories/_doc/clock?_source_includes=embedding' | jq -c '._source.embedding')
      curl -s -H 'Content-Type: application/json' 'http://127.0.0.1:9200/trajlake-trajectories/_search' -d '{
        "size": 5,
        "_source": ["trajectory_id", "workspace", "status", "reward", "summary"],
        "query": {"knn": {"embedding": {"vector": '"$VECTOR"', "k": 5,
          "filter": {"bool": {"filter": [
            {"terms": {"workspace": ["team-a"]}},
            {"terms": {"status": ["SUCCESS"]}},
            {"range": {"reward": {"gte": 0.5}}}]}}}}}}'
      """;
  /** BM25: team-a's trajectories that ran an exact test selector, by summary (boosted) and full text. */
  static final String BM25 = """
      curl -s -H 'Content-Type: application/json' 'http://127.0.0.1:9200/trajlake-trajectories/_search' -d '{
        "size": 5,
        "_source": ["trajectory_id", "workspace", "status", "reward", "summary"],
        "query": {"bool": {
          "filter": [{"terms": {"workspace": ["team-a"]}}],
          "must": [{"multi_match": {"query": "InvoiceRoundingTest#halfEven",
            "fields": ["summary^2", "text"]}}]}}}'
      """;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static RecallFixtures.TestIndex index;
  private static String url;

  @BeforeAll
  static void indexTwoTeams(Endpoints servers) {
    index = new RecallFixtures.TestIndex(servers.openSearchUrl(), "curl");
    index.write(Corpus.team("team-a", ""));
    index.write(Corpus.team("team-b", "b-"));
    url = servers.openSearchUrl();
  }

  @AfterAll
  static void close() throws Exception {
    index.close();
  }

  @Test
  void theDocumentedFilteredKnnQueryRecallsWithinTheFilters() throws Exception {
    // When the documented k-NN command runs
    JsonNode hits = run(FILTERED_KNN).at("/hits/hits");

    // Then it returns team-a's successful trajectories rewarded 0.5 or more, the query's own first
    List<String> ids = new ArrayList<>();
    hits.forEach(hit -> ids.add(hit.at("/_source/trajectory_id").asText()));
    assertThat(ids).containsExactly(Corpus.CLOCK, Corpus.NPE, Corpus.PAGINATION).hasSize(3);
    hits.forEach(hit -> {
      assertThat(hit.at("/_source/workspace").asText()).isEqualTo("team-a");
      assertThat(hit.at("/_source/reward").asDouble()).isGreaterThanOrEqualTo(0.5);
    });
  }

  @Test
  void theDocumentedBm25QueryFindsTheExactToolArguments() throws Exception {
    // When the documented BM25 command runs
    JsonNode hits = run(BM25).at("/hits/hits");

    // Then the one team-a trajectory that ran the selector comes back, not team-b's copy
    assertThat(hits).hasSize(1);
    assertThat(hits.get(0).at("/_source/trajectory_id").asText()).isEqualTo(Corpus.INVOICE);
  }

  /** Runs a documented command against the test cluster and index prefix. */
  private static JsonNode run(String documented) throws IOException, InterruptedException {
    assumeTrue(onPath("curl") && onPath("jq"), "curl and jq are needed to run the documented commands");
    String command = documented.replace("http://127.0.0.1:9200", url).replace("trajlake-trajectories", index.names().trajectories());
    System.out.println("Documented OpenSearch query, as run against the test cluster:\n" + command);
    Process process = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    JsonNode json = JSON.readTree(output);
    assertThat(json.has("error")).as(output).isFalse();
    return json;
  }

  private static boolean onPath(String tool) throws IOException, InterruptedException {
    return new ProcessBuilder("bash", "-c", "command -v " + tool).start().waitFor() == 0;
  }
}
