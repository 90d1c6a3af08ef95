package org.trajlake.sink.trainer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * Which trajectories of one task become DPO preference pairs, bounded and deterministic: the task's
 * trajectories are ranked by reward (highest first, ties by trajectory id), the top half is paired
 * with the bottom half, and a pair counts only when the rewards differ by at least the margin. Pairs
 * are taken diagonal by diagonal, starting with the best against the worst, so the per-task cap is
 * spread over many trajectories rather than spent on the best one alone.
 */
final class DpoPairs {
  /** Rewards are doubles summed from weights: 0.6 - 0.5 must meet a margin of 0.1. */
  private static final double TOLERANCE = 1e-9;

  record Candidate(String trajectoryId, double reward) {}

  record Pair(Candidate chosen, Candidate rejected) {}

  private DpoPairs() {}

  static List<Pair> plan(List<Candidate> candidates, double margin, int maxPairs) {
    List<Candidate> ranked = new ArrayList<>(candidates);
    ranked.sort(Comparator.comparingDouble(Candidate::reward).reversed().thenComparing(Candidate::trajectoryId));
    List<Candidate> top = ranked.subList(0, ranked.size() / 2);
    List<Candidate> bottom = new ArrayList<>(ranked.subList(ranked.size() / 2, ranked.size()));
    Collections.reverse(bottom); // worst first
    List<Pair> pairs = new ArrayList<>();
    for (int diagonal = 0; diagonal < top.size() + bottom.size() - 1 && pairs.size() < maxPairs; diagonal++) {
      for (int i = Math.max(0, diagonal - bottom.size() + 1); i <= Math.min(diagonal, top.size() - 1); i++) {
        Candidate chosen = top.get(i);
        Candidate rejected = bottom.get(diagonal - i);
        if (chosen.reward() - rejected.reward() >= margin - TOLERANCE && pairs.size() < maxPairs) {
          pairs.add(new Pair(chosen, rejected));
        }
      }
    }
    return pairs;
  }
}
