package org.trajlake.recall.query;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reciprocal rank fusion of two ranked lists: each document scores the sum, over the lists that
 * hold it, of {@code 1 / (rankConstant + rank)} with 1-based ranks. Only ranks count, so a BM25
 * score and a cosine similarity need no common scale. Ties go to the better single rank, then to
 * the BM25 list, then to the id, so the order is deterministic.
 */
public final class ReciprocalRankFusion {
  private final int rankConstant;

  public ReciprocalRankFusion(int rankConstant) {
    if (rankConstant < 1) {
      throw new IllegalArgumentException("rank constant must be at least 1, was " + rankConstant);
    }
    this.rankConstant = rankConstant;
  }

  /** A fused document with its rank in each list (null where a list did not hold it). */
  public record Fused(String id, double score, Integer bm25Rank, Integer vectorRank) {
    int bestRank() {
      return Math.min(bm25Rank == null ? Integer.MAX_VALUE : bm25Rank, vectorRank == null ? Integer.MAX_VALUE : vectorRank);
    }
  }

  /**
   * The best {@code k} ids of both lists.
   *
   * @param bm25 ids best first; a repeated id keeps its first rank
   * @param vector ids best first
   */
  public List<Fused> fuse(List<String> bm25, List<String> vector, int k) {
    Map<String, Integer> bm25Ranks = ranks(bm25);
    Map<String, Integer> vectorRanks = ranks(vector);
    Map<String, Fused> fused = new LinkedHashMap<>();
    for (String id : concat(bm25Ranks, vectorRanks)) {
      Integer b = bm25Ranks.get(id);
      Integer v = vectorRanks.get(id);
      double score = (b == null ? 0 : 1.0 / (rankConstant + b)) + (v == null ? 0 : 1.0 / (rankConstant + v));
      fused.put(id, new Fused(id, score, b, v));
    }
    List<Fused> ordered = new ArrayList<>(fused.values());
    ordered.sort(Comparator.comparingDouble(Fused::score).reversed()
        .thenComparingInt(Fused::bestRank)
        .thenComparing(f -> f.bm25Rank() == null)
        .thenComparing(Fused::id));
    return List.copyOf(ordered.subList(0, Math.min(k, ordered.size())));
  }

  private static Map<String, Integer> ranks(List<String> ids) {
    Map<String, Integer> ranks = new LinkedHashMap<>();
    for (int i = 0; i < ids.size(); i++) {
      ranks.putIfAbsent(ids.get(i), i + 1);
    }
    return ranks;
  }

  private static List<String> concat(Map<String, Integer> a, Map<String, Integer> b) {
    List<String> ids = new ArrayList<>(a.keySet());
    for (String id : b.keySet()) {
      if (!a.containsKey(id)) {
        ids.add(id);
      }
    }
    return ids;
  }
}
