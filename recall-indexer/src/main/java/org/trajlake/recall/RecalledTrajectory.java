package org.trajlake.recall;

import java.time.Instant;
import java.util.List;

/**
 * One recalled trajectory: its rank information and its indexed fields, without its steps, full
 * text or vector (which can be large), plus the steps that matched the query text.
 *
 * @param score the fused score in hybrid mode (sum over legs of 1/(rrf.k + rank)), else the leg's own score
 * @param bm25Rank its 1-based rank in the BM25 leg, or null when that leg did not return it
 * @param vectorRank its 1-based rank in the k-NN leg, or null when that leg did not return it
 * @param reward null until the trajectory is rewarded
 * @param labelStatus null until the trajectory is rewarded
 * @param matchingSteps up to three steps matching the query text (none in vector mode)
 */
public record RecalledTrajectory(String trajectoryId, double score, Integer bm25Rank, Integer vectorRank,
    String workspace, String agentId, String taskId, String status, Double reward, String labelStatus,
    List<String> tags, List<String> tools, List<String> outcomeKinds, Instant startedAt, Instant endedAt,
    String summary, int version, long rewardedVersion, List<MatchingStep> matchingSteps) {}
