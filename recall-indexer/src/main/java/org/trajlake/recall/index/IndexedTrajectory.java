package org.trajlake.recall.index;

import java.util.List;
import java.util.Map;

/**
 * What the indexer writes for one trajectory at one version: its document, the text to embed when
 * the agent sent no vector, and a document per tool call.
 *
 * @param id the trajectory id, the document id
 * @param version the external version: a higher one always replaces a lower one
 * @param document the trajectory document, without its vector
 * @param summary the text embedded for the trajectory's vector
 * @param agentVector the agent's own vector, when it sent one
 * @param toolCalls the tool-call step documents
 */
public record IndexedTrajectory(String id, long version, Map<String, Object> document, String summary,
    float[] agentVector, List<ToolCallDocument> toolCalls) {

  /**
   * One tool call with its result.
   *
   * @param id {@code <trajectory id>#<seq>}
   * @param document the step document, without its vector
   * @param embeddingText what would be embedded for it (tool name and arguments)
   * @param agentVector the agent's own vector for the step, when it sent one
   */
  public record ToolCallDocument(String id, Map<String, Object> document, String embeddingText, float[] agentVector) {}
}
