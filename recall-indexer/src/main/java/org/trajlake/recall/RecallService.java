package org.trajlake.recall;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.opensearch.client.opensearch.OpenSearchAsyncClient;
import org.opensearch.client.opensearch.core.SearchRequest;
import org.opensearch.client.opensearch.core.SearchResponse;
import org.opensearch.client.opensearch.core.search.Hit;
import org.opensearch.client.transport.OpenSearchTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trajlake.recall.embed.Embedder;
import org.trajlake.recall.index.AccessRefusal;
import org.trajlake.recall.index.IndexNames;
import org.trajlake.recall.query.NativeHybrid;
import org.trajlake.recall.query.ReciprocalRankFusion;
import org.trajlake.recall.query.StepQueries;
import org.trajlake.recall.query.TrajectoryQueries;

/**
 * Hybrid recall of trajectories and tool calls from OpenSearch: the library the HTTP endpoint and
 * the MCP tools call. A recall reads the request's workspace and its configured parents, never
 * anything else: every search it sends carries that workspace filter, in the BM25 leg and inside
 * the k-NN clause. The two legs of a hybrid recall run in parallel and are fused by reciprocal
 * rank fusion, here or, where the cluster has the neural-search plugin, by the cluster.
 *
 * <p>Thread-safe; one instance serves every caller. It does not own the transport or the embedder.
 */
public final class RecallService {
  private static final Logger LOG = LoggerFactory.getLogger(RecallService.class);
  static final String FUSION_APP = "rrf";
  static final String FUSION_NATIVE = "native-rrf";
  static final String FUSION_NONE = "none";

  private final OpenSearchAsyncClient client;
  private final Embedder embedder;
  private final RecallConfig config;
  private final TrajectoryQueries trajectoryQueries;
  private final StepQueries stepQueries;
  private final ReciprocalRankFusion fusion;
  private final String pipeline;

  /**
   * Detects the neural-search plugin (unless {@code recall.hybrid=app}) and, when present, creates
   * the RRF search pipeline.
   *
   * @param embedder the model the indexes were built with, for queries without a vector
   */
  public RecallService(OpenSearchTransport transport, IndexNames names, Embedder embedder, RecallConfig config) {
    this.client = new OpenSearchAsyncClient(transport);
    this.embedder = embedder;
    this.config = config;
    this.trajectoryQueries = new TrajectoryQueries(names, config.hybridMinimumShouldMatch());
    this.stepQueries = new StepQueries(names);
    this.fusion = new ReciprocalRankFusion(config.rrfK(), config.bm25Weight(), config.vectorWeight());
    if (config.nativeHybridAllowed() && NativeHybrid.available(transport)) {
      this.pipeline = NativeHybrid.pipelineName(names.prefix());
      NativeHybrid.putPipeline(transport, pipeline, fusion);
      LOG.info("hybrid recall: native hybrid query with search pipeline {} ({} found)", pipeline, NativeHybrid.PLUGIN);
    } else {
      this.pipeline = null;
      LOG.info("hybrid recall: BM25 and k-NN in parallel, fused here by RRF (rank constant {}, window {}, weights"
          + " BM25 {} and vector {})", config.rrfK(), config.window(), config.bm25Weight(), config.vectorWeight());
    }
  }

  /** Whether hybrid recalls use the cluster's native hybrid query. */
  public boolean nativeHybrid() {
    return pipeline != null;
  }

  /**
   * The trajectories of the request's workspace (and its parents) that best match it.
   *
   * @throws InvalidRequestException when k is above {@code recall.max.k} or the vector has the wrong dimension
   * @throws RecallUnavailableException when OpenSearch fails or does not answer in time
   */
  public RecallResult recall(RecallRequest request) {
    long start = System.nanoTime();
    checkK(request.k());
    List<String> workspaces = config.workspaceScopes().readableBy(request.workspace());
    int window = Math.max(request.k(), config.window());
    Found found = search(request.mode(), request.k(), request.query(), request.vector(), start, new Legs() {
      @Override
      public SearchRequest bm25(int size) {
        return trajectoryQueries.bm25(request, workspaces, size);
      }

      @Override
      public SearchRequest hybridBm25(int size) {
        return trajectoryQueries.hybridBm25(request, workspaces, size);
      }

      @Override
      public SearchRequest knn(float[] vector, int size) {
        return trajectoryQueries.knn(request, workspaces, vector, window, size);
      }

      @Override
      public SearchRequest nativeHybrid(float[] vector) {
        return trajectoryQueries.nativeHybrid(request, workspaces, vector, window, request.k(), pipeline);
      }
    });
    List<RecalledTrajectory> trajectories = new ArrayList<>();
    StepMatcher steps = new StepMatcher(request.query());
    for (Match match : found.matches()) {
      trajectories.add(Hits.trajectory(match.hit(), match.rank(), steps.match(match.hit().source())));
    }
    return new RecallResult(request.mode(), found.fusion(), elapsedMs(start), List.copyOf(trajectories));
  }

  /**
   * The tool calls of the request's workspace (and its parents) that best match it.
   *
   * @throws InvalidRequestException when k is above {@code recall.max.k} or the vector has the wrong dimension
   * @throws RecallUnavailableException when OpenSearch fails or does not answer in time
   */
  public StepRecallResult recallSteps(StepRecallRequest request) {
    long start = System.nanoTime();
    checkK(request.k());
    List<String> workspaces = config.workspaceScopes().readableBy(request.workspace());
    int window = Math.max(request.k(), config.window());
    Found found = search(request.mode(), request.k(), request.query(), request.vector(), start, new Legs() {
      @Override
      public SearchRequest bm25(int size) {
        return stepQueries.bm25(request, workspaces, size);
      }

      @Override
      public SearchRequest hybridBm25(int size) {
        // Any term: a tool call has a vector only when its agent sent one (or indexer.embed.steps is
        // on), so the k-NN leg cannot be relied on to find what a stricter BM25 leg would drop.
        return stepQueries.bm25(request, workspaces, size);
      }

      @Override
      public SearchRequest knn(float[] vector, int size) {
        return stepQueries.knn(request, workspaces, vector, window, size);
      }

      @Override
      public SearchRequest nativeHybrid(float[] vector) {
        return stepQueries.nativeHybrid(request, workspaces, vector, window, request.k(), pipeline);
      }
    });
    List<RecalledToolCall> calls = new ArrayList<>();
    for (Match match : found.matches()) {
      calls.add(Hits.toolCall(match.hit(), match.rank()));
    }
    return new StepRecallResult(request.mode(), found.fusion(), elapsedMs(start), List.copyOf(calls));
  }

  /** The searches of one recall, whatever it recalls. */
  private interface Legs {
    /** BM25 with fields, {@code size} hits: BM25 mode. */
    SearchRequest bm25(int size);

    /** BM25 with fields, {@code size} hits, as the leg of a hybrid recall over the window. */
    SearchRequest hybridBm25(int size);

    /** k-NN with fields, {@code size} hits: vector mode, or a hybrid leg over the window. */
    SearchRequest knn(float[] vector, int size);

    /** One hybrid query ranked by the cluster's pipeline. */
    SearchRequest nativeHybrid(float[] vector);
  }

  private record Match(Hit<ObjectNode> hit, ReciprocalRankFusion.Fused rank) {}

  private record Found(String fusion, List<Match> matches) {}

  private Found search(RecallMode mode, int k, String query, float[] given, long start, Legs legs) {
    long deadline = start + config.timeout().toNanos();
    switch (mode) {
      case BM25:
        return single(await(send(legs.bm25(k)), deadline), true);
      case VECTOR:
        return single(await(send(legs.knn(queryVector(given, query), k)), deadline), false);
      default:
        if (pipeline != null) {
          return nativeFused(await(send(legs.nativeHybrid(queryVector(given, query))), deadline));
        }
        // BM25 goes out first: it needs no vector, so it runs while the query is embedded. Both legs
        // return their window with fields and steps, so the fused top k need no third round trip.
        CompletableFuture<SearchResponse<ObjectNode>> text = send(legs.hybridBm25(Math.max(k, config.window())));
        CompletableFuture<SearchResponse<ObjectNode>> vectors = null;
        List<ReciprocalRankFusion.Fused> fused;
        Map<String, Hit<ObjectNode>> hits = new LinkedHashMap<>();
        try {
          vectors = send(legs.knn(queryVector(given, query), Math.max(k, config.window())));
          List<Hit<ObjectNode>> textHits = await(text, deadline).hits().hits();
          List<Hit<ObjectNode>> vectorHits = await(vectors, deadline).hits().hits();
          vectorHits.forEach(hit -> hits.put(hit.id(), hit));
          textHits.forEach(hit -> hits.put(hit.id(), hit));
          fused = fusion.fuse(textHits.stream().map(Hit::id).toList(), vectorHits.stream().map(Hit::id).toList(), k);
        } finally {
          // A no-op for an answered leg; frees the connection of one left behind by a timeout or failure.
          text.cancel(true);
          if (vectors != null) {
            vectors.cancel(true);
          }
        }
        List<Match> matches = new ArrayList<>();
        for (ReciprocalRankFusion.Fused rank : fused) {
          matches.add(new Match(hits.get(rank.id()), rank));
        }
        return new Found(FUSION_APP, matches);
    }
  }

  private Found single(SearchResponse<ObjectNode> response, boolean bm25) {
    List<Match> matches = new ArrayList<>();
    List<Hit<ObjectNode>> hits = response.hits().hits();
    for (int i = 0; i < hits.size(); i++) {
      Hit<ObjectNode> hit = hits.get(i);
      double score = hit.score() == null ? 0 : hit.score();
      matches.add(new Match(hit, new ReciprocalRankFusion.Fused(hit.id(), score, bm25 ? i + 1 : null, bm25 ? null : i + 1)));
    }
    return new Found(FUSION_NONE, matches);
  }

  private Found nativeFused(SearchResponse<ObjectNode> response) {
    List<Match> matches = new ArrayList<>();
    for (Hit<ObjectNode> hit : response.hits().hits()) {
      double score = hit.score() == null ? 0 : hit.score();
      matches.add(new Match(hit, new ReciprocalRankFusion.Fused(hit.id(), score, null, null)));
    }
    return new Found(FUSION_NATIVE, matches);
  }

  private static List<String> ids(SearchResponse<ObjectNode> response) {
    return response.hits().hits().stream().map(Hit::id).toList();
  }

  private void checkK(int k) {
    if (k > config.maxK()) {
      throw new InvalidRequestException("k", "k is " + k + "; this service returns at most " + config.maxK()
          + " (" + RecallConfig.MAX_K + ")");
    }
  }

  private float[] queryVector(float[] given, String query) {
    if (given != null) {
      if (given.length != embedder.dimension()) {
        throw new InvalidRequestException("vector", "vector has " + given.length + " dimensions; the index holds "
            + embedder.dimension() + "-dimension vectors of " + embedder.model());
      }
      return given;
    }
    return embedder.embed(query);
  }

  private CompletableFuture<SearchResponse<ObjectNode>> send(SearchRequest request) {
    try {
      return client.search(request, ObjectNode.class);
    } catch (IOException e) {
      throw new RecallUnavailableException("OpenSearch unreachable: " + e.getMessage(), false, e);
    }
  }

  private <T> T await(CompletableFuture<T> future, long deadline) {
    try {
      return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new RecallUnavailableException("OpenSearch did not answer within " + config.timeout().toMillis()
          + " ms (" + RecallConfig.TIMEOUT_MS + ")", true, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      future.cancel(true);
      throw new RecallUnavailableException("interrupted while waiting for OpenSearch", false, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      // A 401 here is the service's credentials rotated under it: say which keys, as at start.
      throw new RecallUnavailableException("OpenSearch failed the recall: " + cause.getMessage()
          + AccessRefusal.hint(cause), false, cause);
    }
  }

  private static long elapsedMs(long start) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
  }
}
