package org.trajlake.recall.index;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How a new index analyses its {@code text} fields (summary, step contents, tool arguments and
 * outputs), set as the index's default analyzers so the mapping names none and stays the same
 * whichever is chosen: an existing index keeps the analysis it was made with.
 */
public enum TextAnalysis {
  /**
   * The standard tokenizer, then each token also split into its parts at case changes, underscores,
   * dots and digits (the whole token kept too), then lower case.
   * {@code PaymentServiceTest.testRefundFlow} is found by {@code testRefundFlow}, by "refund flow"
   * and by itself; {@code invoice_rounding.py} by "invoice rounding". The standard tokenizer keeps
   * such identifiers whole, so an agent naming part of one found nothing.
   */
  CODE,
  /** OpenSearch's {@code standard} analyzer: identifiers stay one token each. */
  STANDARD;

  public static final TextAnalysis DEFAULT = CODE;
  private static final String INDEX_PARTS = "trajlake_code_parts";
  private static final String QUERY_PARTS = "trajlake_code_parts_graph";
  /** The flat index setting present only in an index made with {@link #CODE}. */
  static final String CODE_MARKER = "index.analysis.filter." + INDEX_PARTS + ".type";

  /** {@code code} or {@code standard}, in any case. */
  public static TextAnalysis of(String name) {
    return valueOf(name.trim().toUpperCase(Locale.ROOT));
  }

  public String settingValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The {@code index.analysis} settings of a new index; empty for {@link #STANDARD}. A query splits
   * with {@code word_delimiter_graph}, whose token graph makes "testRefundFlow" ask for the whole
   * token or all three parts, not any one of them. Indexing splits with {@code word_delimiter}, which
   * writes the same tokens at positions directly: an index cannot hold a graph, and the graph filter
   * followed by {@code flatten_graph} indexed agent vectors 649-809 trajectories/s against 920-1,035
   * (and 871-941 with the standard analyzer) in alternating runs of {@code bench indexing}.
   */
  Map<String, Object> indexSettings() {
    if (this == STANDARD) {
      return Map.of();
    }
    return Map.of(
        "filter", Map.of(
            INDEX_PARTS, Map.of("type", "word_delimiter", "preserve_original", true),
            QUERY_PARTS, Map.of("type", "word_delimiter_graph", "preserve_original", true)),
        "analyzer", Map.of(
            "default", analyzer(List.of(INDEX_PARTS, "lowercase")),
            "default_search", analyzer(List.of(QUERY_PARTS, "lowercase"))));
  }

  private static Map<String, Object> analyzer(List<String> filters) {
    return Map.of("type", "custom", "tokenizer", "standard", "filter", filters);
  }
}
