package org.trajlake.recall;

import java.util.Locale;

/** How recall ranks: both legs fused, full text only, or vectors only. */
public enum RecallMode {
  /** BM25 and k-NN, fused by reciprocal rank fusion (or the cluster's native hybrid query). */
  HYBRID,
  /** Full text (BM25) only. */
  BM25,
  /** k-NN on the embedding only. */
  VECTOR;

  /**
   * The mode named by {@code text}, case-insensitive.
   *
   * @throws InvalidRequestException naming field {@code mode} and the allowed values
   */
  public static RecallMode parse(String text) {
    for (RecallMode mode : values()) {
      if (mode.name().equalsIgnoreCase(text.trim())) {
        return mode;
      }
    }
    throw new InvalidRequestException("mode", "unknown mode '" + text + "'; use hybrid, bm25 or vector");
  }

  /** The lower-case name used in JSON and metrics. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
