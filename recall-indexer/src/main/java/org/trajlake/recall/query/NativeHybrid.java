package org.trajlake.recall.query;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch.cat.plugins.PluginsRecord;
import org.opensearch.client.opensearch.generic.OpenSearchGenericClient;
import org.opensearch.client.opensearch.generic.Requests;
import org.opensearch.client.opensearch.generic.Response;
import org.opensearch.client.transport.OpenSearchTransport;

/**
 * The cluster's own hybrid search, where it has one: the neural-search plugin's {@code hybrid}
 * query ranked by a search pipeline whose score-ranker processor does reciprocal rank fusion.
 * Detected once at start; a cluster without the plugin (the local stack: neural-search is not on
 * Maven Central) gets the same fusion done in the application.
 */
public final class NativeHybrid {
  public static final String PLUGIN = "opensearch-neural-search";
  private static final ObjectMapper JSON = new ObjectMapper();

  private NativeHybrid() {}

  /** Whether any node of the cluster runs the neural-search plugin ({@code GET /_cat/plugins}). */
  public static boolean available(OpenSearchTransport transport) {
    try {
      List<PluginsRecord> plugins = new OpenSearchClient(transport).cat().plugins().valueBody();
      return plugins.stream().anyMatch(plugin -> PLUGIN.equals(plugin.component()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the OpenSearch plugins: " + e.getMessage(), e);
    }
  }

  /** The name of the recall pipeline for indexes under {@code indexPrefix}. */
  public static String pipelineName(String indexPrefix) {
    return indexPrefix + "recall-rrf";
  }

  /**
   * The search pipeline: RRF over the sub-queries of a hybrid query (BM25 first, then k-NN) with the
   * fusion's rank constant and, when its legs weigh differently, its weights.
   */
  public static Map<String, Object> pipeline(ReciprocalRankFusion fusion) {
    Map<String, Object> combination = new LinkedHashMap<>();
    combination.put("technique", "rrf");
    combination.put("rank_constant", fusion.rankConstant());
    if (!fusion.equalWeights()) {
      combination.put("parameters", Map.of("weights", fusion.weightShares()));
    }
    return Map.of(
        "description", "trajlake recall: reciprocal rank fusion of the BM25 and k-NN legs of a hybrid query",
        "phase_results_processors", List.of(Map.of("score-ranker-processor", Map.of("combination", combination))));
  }

  /** Creates or replaces the pipeline {@code name}; idempotent, so every instance may run it at start. */
  public static void putPipeline(OpenSearchTransport transport, String name, ReciprocalRankFusion fusion) {
    try (Response response = new OpenSearchGenericClient(transport).execute(Requests.builder()
        .method("PUT").endpoint("/_search/pipeline/" + name).json(JSON.writeValueAsString(pipeline(fusion))).build())) {
      if (response.getStatus() >= 300) {
        throw new IllegalStateException("cannot create the search pipeline " + name + ": HTTP " + response.getStatus()
            + " " + response.getBody().map(b -> b.bodyAsString()).orElse(""));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the search pipeline " + name + ": " + e.getMessage(), e);
    }
  }
}
