package org.trajlake.recall;

import java.time.Instant;

/**
 * One recalled tool call with its result, and the context of the trajectory it belongs to.
 *
 * @param id {@code <trajectory_id>#<seq>}
 * @param score the fused score in hybrid mode, else the leg's own score
 * @param bm25Rank its 1-based rank in the BM25 leg, or null
 * @param vectorRank its 1-based rank in the k-NN leg, or null
 * @param output the tool's output, or null when no result was recorded
 * @param isError whether the result was an error, or null when no result was recorded
 * @param resultSeq the seq of the result step, or null
 */
public record RecalledToolCall(String id, double score, Integer bm25Rank, Integer vectorRank, String trajectoryId,
    String workspace, String agentId, String taskId, String status, Double reward, long seq, Instant ts, String tool,
    String callId, String arguments, String output, Boolean isError, Long resultSeq) {}
