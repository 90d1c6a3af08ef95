package org.trajlake.recall;

import java.util.List;

/**
 * The trajectories a recall found, best first.
 *
 * @param mode how they were ranked
 * @param fusion {@code rrf} (fused here), {@code native-rrf} (the cluster's hybrid query) or {@code none} (one leg)
 * @param tookMs time spent in the recall, embedding included
 */
public record RecallResult(RecallMode mode, String fusion, long tookMs, List<RecalledTrajectory> trajectories) {}
