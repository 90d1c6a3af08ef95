package org.trajlake.recall.index;

import java.io.IOException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch._types.ErrorCause;
import org.opensearch.client.opensearch.core.bulk.BulkResponseItem;
import org.trajlake.recall.embed.Embedder;

/**
 * Writes trajectories and their tool calls with one bulk request per batch ({@link BulkBody}).
 * Every document is indexed with external versioning at its trajectory's version, so a write that arrives late or
 * twice never replaces a newer one: the index converges to the latest version whatever the order.
 * Vectors come from the agent when it sent one of the right dimension, else from the embedder,
 * in one batch per call.
 */
public final class DocumentWriter {
  private final OpenSearchClient client;
  private final IndexNames names;
  private final Embedder embedder;
  private final boolean embedToolCalls;
  private final BulkFormat format;

  /** @param format what the indexes take ({@link IndexAdmin#bulkFormat()}) */
  public DocumentWriter(OpenSearchClient client, IndexNames names, Embedder embedder, boolean embedToolCalls,
      BulkFormat format) {
    this.client = client;
    this.names = names;
    this.embedder = embedder;
    this.embedToolCalls = embedToolCalls;
    this.format = format;
  }

  /** What happened to one document of a bulk request. */
  public record ItemResult(String index, String id, int status, String errorType, String errorReason) {
    public boolean ok() {
      return status >= 200 && status < 300;
    }

    /** A lower or equal version than the one indexed: expected, and harmless. */
    public boolean staleVersion() {
      return status == 409;
    }

    /** Too busy: worth retrying. */
    public boolean retriable() {
      return status == 429 || status >= 500;
    }
  }

  /** Results per input, in input order: the trajectory document first, then its tool calls. */
  public record Result(List<List<ItemResult>> perTrajectory) {}

  /**
   * Embeds what needs embedding and writes one bulk request.
   *
   * @throws IOException when OpenSearch cannot be reached or refuses the whole request
   */
  public Result write(List<IndexedTrajectory> trajectories) throws IOException {
    Map<IndexedTrajectory, float[]> vectors = trajectoryVectors(trajectories);
    Map<IndexedTrajectory.ToolCallDocument, float[]> stepVectors = toolCallVectors(trajectories);
    BulkBody bulk = new BulkBody(format);
    List<Integer> owners = new ArrayList<>();
    for (int i = 0; i < trajectories.size(); i++) {
      IndexedTrajectory trajectory = trajectories.get(i);
      bulk.index(names.trajectories(), trajectory.id(), trajectory.version(),
          withVector(trajectory.document(), vectors.get(trajectory), usable(trajectory.agentVector())));
      owners.add(i);
      for (IndexedTrajectory.ToolCallDocument call : trajectory.toolCalls()) {
        bulk.index(names.steps(), call.id(), trajectory.version(),
            withVector(call.document(), stepVectors.get(call), usable(call.agentVector())));
        owners.add(i);
      }
    }
    List<List<ItemResult>> results = new ArrayList<>();
    trajectories.forEach(t -> results.add(new ArrayList<>()));
    if (bulk.operations() == 0) {
      return new Result(results);
    }
    List<BulkResponseItem> items = bulk.send(client).items();
    for (int i = 0; i < items.size(); i++) {
      BulkResponseItem item = items.get(i);
      results.get(owners.get(i)).add(new ItemResult(item.index(), item.id(), item.status(),
          item.error() == null ? null : item.error().type(), item.error() == null ? null : reason(item.error())));
    }
    return new Result(results);
  }

  /** The error's reason, with its cause's: "failed to parse" alone does not say the vector was all zeros. */
  private static String reason(ErrorCause error) {
    StringBuilder reason = new StringBuilder(String.valueOf(error.reason()));
    for (ErrorCause cause = error.causedBy(); cause != null; cause = cause.causedBy()) {
      reason.append(" (caused by ").append(cause.type()).append(": ").append(cause.reason()).append(')');
    }
    return reason.toString();
  }

  private Map<String, Object> withVector(Map<String, Object> document, float[] vector, boolean fromAgent) {
    if (vector == null) {
      return document;
    }
    Map<String, Object> copy = new LinkedHashMap<>(document);
    copy.put(TrajectoryDocuments.EMBEDDING, vector);
    copy.put("embedding_source", fromAgent ? "agent" : embedder.model());
    return copy;
  }

  private Map<IndexedTrajectory, float[]> trajectoryVectors(List<IndexedTrajectory> trajectories) {
    Map<IndexedTrajectory, float[]> vectors = new IdentityHashMap<>();
    List<IndexedTrajectory> toEmbed = new ArrayList<>();
    for (IndexedTrajectory trajectory : trajectories) {
      if (usable(trajectory.agentVector())) {
        vectors.put(trajectory, trajectory.agentVector());
      } else {
        toEmbed.add(trajectory);
      }
    }
    List<float[]> embedded = embedder.embed(toEmbed.stream().map(IndexedTrajectory::summary).toList());
    for (int i = 0; i < toEmbed.size(); i++) {
      vectors.put(toEmbed.get(i), embedded.get(i));
    }
    return vectors;
  }

  private Map<IndexedTrajectory.ToolCallDocument, float[]> toolCallVectors(List<IndexedTrajectory> trajectories) {
    Map<IndexedTrajectory.ToolCallDocument, float[]> vectors = new IdentityHashMap<>();
    List<IndexedTrajectory.ToolCallDocument> toEmbed = new ArrayList<>();
    for (IndexedTrajectory trajectory : trajectories) {
      for (IndexedTrajectory.ToolCallDocument call : trajectory.toolCalls()) {
        if (usable(call.agentVector())) {
          vectors.put(call, call.agentVector());
        } else if (embedToolCalls) {
          toEmbed.add(call);
        }
      }
    }
    List<float[]> embedded = embedder.embed(toEmbed.stream().map(IndexedTrajectory.ToolCallDocument::embeddingText).toList());
    for (int i = 0; i < toEmbed.size(); i++) {
      vectors.put(toEmbed.get(i), embedded.get(i));
    }
    return vectors;
  }

  /** An agent's vector of the index's dimension with some length: cosine is undefined for all zeros. */
  private boolean usable(float[] vector) {
    if (vector == null || vector.length != embedder.dimension()) {
      return false;
    }
    for (float value : vector) {
      if (value != 0f) {
        return true;
      }
    }
    return false;
  }
}
