package org.trajlake.recall.query;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reciprocal rank fusion of two ranked lists: each document scores the sum, over the lists that
 * hold it, of {@code weight / (rankConstant + rank)} with 1-based ranks, each list with its own
 * weight (1 and 1 by default: plain RRF). Only ranks count, so a BM25 score and a cosine similarity
 * need no common scale. Ties go to the better single rank, then to the BM25 list, then to the id,
 * so the order is deterministic.
 */
public final class ReciprocalRankFusion {
  private final int rankConstant;
  private final double bm25Weight;
  private final double vectorWeight;

  /** Plain RRF: both lists weigh 1. */
  public ReciprocalRankFusion(int rankConstant) {
    this(rankConstant, 1.0, 1.0);
  }

  /**
   * @param bm25Weight how much a BM25 rank counts, in [0, 1]
   * @param vectorWeight how much a k-NN rank counts, in [0, 1]; at least one of the two above 0
   */
  public ReciprocalRankFusion(int rankConstant, double bm25Weight, double vectorWeight) {
    if (rankConstant < 1) {
      throw new IllegalArgumentException("rank constant must be at least 1, was " + rankConstant);
    }
    checkWeight("BM25", bm25Weight);
    checkWeight("vector", vectorWeight);
    if (bm25Weight == 0 && vectorWeight == 0) {
      throw new IllegalArgumentException("at least one leg must weigh more than 0");
    }
    this.rankConstant = rankConstant;
    this.bm25Weight = bm25Weight;
    this.vectorWeight = vectorWeight;
  }

  public int rankConstant() {
    return rankConstant;
  }

  /** Whether both lists weigh the same: the fusion then ranks as plain RRF does. */
  public boolean equalWeights() {
    return bm25Weight == vectorWeight;
  }

  /**
   * The weights as shares of their sum, BM25 first: the form OpenSearch's score-ranker processor
   * takes (its weights must add up to 1). It ranks as this fusion does; its scores are this
   * fusion's divided by the sum of the weights.
   */
  public List<Double> weightShares() {
    double sum = bm25Weight + vectorWeight;
    return List.of(bm25Weight / sum, vectorWeight / sum);
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
      double score = (b == null ? 0 : bm25Weight / (rankConstant + b)) + (v == null ? 0 : vectorWeight / (rankConstant + v));
      fused.put(id, new Fused(id, score, b, v));
    }
    List<Fused> ordered = new ArrayList<>(fused.values());
    ordered.sort(Comparator.comparingDouble(Fused::score).reversed()
        .thenComparingInt(Fused::bestRank)
        .thenComparing(f -> f.bm25Rank() == null)
        .thenComparing(Fused::id));
    return List.copyOf(ordered.subList(0, Math.min(k, ordered.size())));
  }

  private static void checkWeight(String leg, double weight) {
    if (!(weight >= 0 && weight <= 1)) {
      throw new IllegalArgumentException(leg + " weight must be between 0 and 1, was " + weight);
    }
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
